/*
 * proctitle: what ps shows for each forkd process ("forkd: listener 3/256",
 * "forkd: child 127.0.0.1:54515 reading"), by rewriting the argv area, the
 * way sendmail and OpenSSH do where there is no setproctitle(3).  The
 * command name (comm) stays "forkd", so ps -C forkd, pidof and pgrep -x
 * still find every process.
 */
#ifndef PROCTITLE_H
#define PROCTITLE_H

/*
 * Take over the argv (and environ) strings as title space.  Replaces
 * argv[i] and environ with heap copies first, so the program keeps
 * reading its arguments and environment unchanged.  Call before anything
 * keeps a pointer into argv.  -1 ENOMEM.
 */
int	proctitle_init(int argc, char **argv);
/* Set the title to "forkd: " and the formatted text. */
void	proctitle_set(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * Set the title to "forkd: " and the words, separated by spaces; the
 * list ends with NULL.  Formats nothing: what a child uses.
 */
void	proctitle_words(const char *, ...) __attribute__((sentinel));

#endif
