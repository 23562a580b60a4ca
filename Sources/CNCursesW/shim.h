// C helpers for ncursesw: the macros Swift cannot import, wrapped as static
// inline functions, and the async-signal-safe terminal restore used by the
// crash-signal handlers.
#ifndef PERFTOP_CNCURSESW_SHIM_H
#define PERFTOP_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <langinfo.h>
#include <locale.h>
#include <ncursesw/curses.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static inline int perftop_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int perftop_lines(void) { return LINES; }
static inline int perftop_cols(void) { return COLS; }
static inline int perftop_colors(void) { return COLORS; }
static inline int perftop_key_resize(void) { return KEY_RESIZE; }
static inline int perftop_err(void) { return ERR; }
static inline unsigned int perftop_a_bold(void) { return (unsigned int)A_BOLD; }
static inline unsigned int perftop_a_dim(void) { return (unsigned int)A_DIM; }
static inline unsigned int perftop_a_reverse(void) { return (unsigned int)A_REVERSE; }
static inline unsigned int perftop_a_underline(void) { return (unsigned int)A_UNDERLINE; }
static inline int perftop_getmaxy(WINDOW *window) { return getmaxy(window); }
static inline int perftop_getmaxx(WINDOW *window) { return getmaxx(window); }
static inline WINDOW *perftop_stdscr(void) { return stdscr; }
static inline void perftop_setlocale_from_environment(void) { setlocale(LC_ALL, ""); }
// newterm on the process's stdout and stdin (Swift cannot reference the C stdio globals safely).
static inline SCREEN *perftop_newterm_stdio(void) { return newterm(NULL, stdout, stdin); }
// ncurses (6.4 at least) flushes its output after every cursor movement while the screen has never
// been through endwin (its internal state stays "initial"), so each frame left as about a hundred
// small writes, each waking the terminal. One endwin and refresh, before anything is drawn, move it
// to the state it returns to after Ctrl-Z and fg: output buffered and written once per update.
static inline void perftop_buffer_output(void) {
    endwin();
    refresh();
}
static inline int perftop_key_code_yes(void) { return KEY_CODE_YES; }
static inline int perftop_get_wch(wint_t *out) { return get_wch(out); }
static inline int perftop_attr_set(unsigned int attributes, short pair) { return attr_set((attr_t)attributes, pair, NULL); }
static inline int perftop_mvaddnwstr(int row, int column, const wchar_t *text, int count) {
    return mvaddnwstr(row, column, text, count);
}
static inline void perftop_clear_row(int row) { move(row, 0); clrtoeol(); }

// MARK: - Mouse

// Asks for left-button presses and wheel turns, reported at once (no click-interval wait).
static inline void perftop_enable_mouse(void) {
    mouseinterval(0);
    mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}

// Reads the pending mouse event after KEY_MOUSE: 1 left press, 2 wheel up, 3 wheel down, 0 other
// or none; the pointer's row and column go to `row` and `column`.
static inline int perftop_read_mouse(int *row, int *column) {
    MEVENT event;
    if (getmouse(&event) != OK) {
        return 0;
    }
    *row = event.y;
    *column = event.x;
    if (event.bstate & BUTTON4_PRESSED) {
        return 2;
    }
    if (event.bstate & BUTTON5_PRESSED) {
        return 3;
    }
    return (event.bstate & BUTTON1_PRESSED) ? 1 : 0;
}

// MARK: - Suspend and resume (SIGTSTP, SIGCONT)

// Set by the SIGTSTP handler: the user pressed Ctrl-Z; the UI thread suspends at its next tick.
static inline volatile sig_atomic_t *perftop_suspend_requested(void) {
    static volatile sig_atomic_t requested = 0;
    return &requested;
}

// Set by the SIGCONT handler: the process was continued; the UI thread redraws everything.
static inline volatile sig_atomic_t *perftop_continued(void) {
    static volatile sig_atomic_t continued = 0;
    return &continued;
}

// MARK: - Waking the UI thread

// The write end of the dashboard's wake-up pipe, or -1. The handlers below write a byte to it, so
// the UI thread's poll ends at once whichever thread received the signal (the process's threads
// share the signal; the UI thread is rarely the one interrupted).
static inline volatile sig_atomic_t *perftop_wake_descriptor(void) {
    static volatile sig_atomic_t descriptor = -1;
    return &descriptor;
}

// Async-signal-safe: one write(2), its result ignored (a full pipe already means "wake up").
static inline void perftop_wake(void) {
    int descriptor = *perftop_wake_descriptor();
    if (descriptor >= 0) {
        char byte = 1;
        ssize_t written = write(descriptor, &byte, 1);
        (void)written;
    }
}

static inline void perftop_on_sigtstp(int signal_number) {
    (void)signal_number;
    *perftop_suspend_requested() = 1;
    perftop_wake();
}

static inline void perftop_on_sigcont(int signal_number) {
    (void)signal_number;
    *perftop_continued() = 1;
    perftop_wake();
}

// The SIGWINCH action ncurses installed, which perftop_on_sigwinch runs before waking the UI thread.
static inline struct sigaction *perftop_previous_sigwinch(void) {
    static struct sigaction previous;
    return &previous;
}

static inline void perftop_on_sigwinch(int signal_number) {
    struct sigaction *previous = perftop_previous_sigwinch();
    if (!(previous->sa_flags & SA_SIGINFO) && previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
        previous->sa_handler(signal_number);
    }
    perftop_wake();
}

// Installs `handler` for `signal_number` (SA_RESTART, nothing masked), saving the previous action
// in `previous` unless it is NULL.
static inline void perftop_handle_signal(int signal_number, void (*handler)(int), struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    action.sa_handler = handler;
    sigaction(signal_number, &action, previous);
}

// After newterm: SIGWINCH runs ncurses' handler (which makes the next read return KEY_RESIZE), then
// wakes the UI thread so that the resize is drawn at once.
static inline void perftop_install_resize_wakeup(void) {
    perftop_handle_signal(SIGWINCH, perftop_on_sigwinch, perftop_previous_sigwinch());
}

// Puts ncurses' SIGWINCH action back and stops writing to the wake-up pipe.
static inline void perftop_remove_resize_wakeup(void) {
    sigaction(SIGWINCH, perftop_previous_sigwinch(), NULL);
    *perftop_wake_descriptor() = -1;
}

// Handles SIGTSTP and SIGCONT with flags the UI thread polls, so only that thread touches curses.
// Call before newterm: ncurses then never installs its own SIGTSTP handler (which calls endwin
// from the signal handler, on whichever thread gets the signal) and never sets SIGTSTP to SIG_IGN
// around its screen updates, which would discard a Ctrl-Z pressed during one.
static inline void perftop_install_suspend_handlers(void) {
    perftop_handle_signal(SIGTSTP, perftop_on_sigtstp, NULL);
    perftop_handle_signal(SIGCONT, perftop_on_sigcont, NULL);
}

// Gives SIGTSTP and SIGCONT their default actions back (when the dashboard ends).
static inline void perftop_remove_suspend_handlers(void) {
    signal(SIGTSTP, SIG_DFL);
    signal(SIGCONT, SIG_DFL);
}

// Returns the flag's value and clears it.
static inline int perftop_take_flag(volatile sig_atomic_t *flag) {
    int value = *flag;
    *flag = 0;
    return value;
}

// Stops the process as SIGTSTP's default action would (call after endwin); returns once the
// process is continued, with the handler back in place and any Ctrl-Z pressed meanwhile forgotten.
// raise() sends the signal to the calling thread, with SIGTSTP unblocked there, so it is delivered
// (and the whole process stopped) before raise returns, never later to another thread that would
// find the handler restored and only set the flag again.
static inline void perftop_stop_process(void) {
    struct sigaction stop;
    struct sigaction previous;
    sigset_t tstp;
    sigset_t mask;
    memset(&stop, 0, sizeof(stop));
    sigemptyset(&stop.sa_mask);
    stop.sa_handler = SIG_DFL;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &tstp, &mask);
    sigaction(SIGTSTP, &stop, &previous);
    raise(SIGTSTP);
    sigaction(SIGTSTP, &previous, NULL);
    pthread_sigmask(SIG_SETMASK, &mask, NULL);
    *perftop_suspend_requested() = 0;
}

// Marks the whole screen for repainting at the next refresh (e.g. after fg).
static inline void perftop_invalidate_screen(void) { clearok(curscr, TRUE); }

// Tells curses the terminal's size when it changed while curses was not watching (while stopped).
// Returns 1 when it changed.
static inline int perftop_sync_size(void) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) {
        return 0;
    }
    if (size.ws_row == LINES && size.ws_col == COLS) {
        return 0;
    }
    resize_term(size.ws_row, size.ws_col);
    return 1;
}

// True when the current LC_CTYPE encodes text as UTF-8 (call after setlocale).
static inline int perftop_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL) {
        return 0;
    }
    return strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0 || strcmp(codeset, "UTF8") == 0;
}

// MARK: - Crash-signal terminal restore

// The terminal's line settings before curses changed them, restored by the crash handler.
// Function-local statics, because Swift emits a header's inline functions but not its variables.
static inline struct termios *perftop_saved_terminal_modes(void) {
    static struct termios modes;
    return &modes;
}

static inline volatile sig_atomic_t *perftop_saved_terminal_modes_valid(void) {
    static volatile sig_atomic_t valid = 0;
    return &valid;
}

// Resets a palette redefined for truecolor themes (OSC 104), leaves the
// alternate screen, shows the cursor and resets attributes with raw escape
// sequences (write(2) is async-signal-safe; endwin() is not), then
// re-raises the signal with its default action so the exit status and core
// dump are the ones the crash would have had.
static inline void perftop_crash_handler(int signal_number) {
    static const char reset[] = "\033]104\007\033[?1049l\033[?25h\033[0m\r\n";
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof(reset) - 1);
    (void)ignored;
    if (*perftop_saved_terminal_modes_valid()) {
        tcsetattr(STDIN_FILENO, TCSANOW, perftop_saved_terminal_modes());
    }
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signal_number, &action, NULL);
    raise(signal_number);
}

// Saves the terminal's line settings (call before initscr) and installs the crash handlers.
static inline void perftop_install_crash_handlers(void) {
    if (tcgetattr(STDIN_FILENO, perftop_saved_terminal_modes()) == 0) {
        *perftop_saved_terminal_modes_valid() = 1;
    }
    static const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    for (unsigned long index = 0; index < sizeof(signals) / sizeof(signals[0]); index++) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = perftop_crash_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        sigaction(signals[index], &action, NULL);
    }
}

#endif
