// ncursesw with wide characters, plus inline wrappers for what Swift cannot import (macros).
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// MARK: - Attributes

static inline attr_t emorl_a_normal(void) { return A_NORMAL; }
static inline attr_t emorl_a_bold(void) { return A_BOLD; }
static inline attr_t emorl_a_dim(void) { return A_DIM; }
static inline attr_t emorl_a_underline(void) { return A_UNDERLINE; }
static inline attr_t emorl_a_reverse(void) { return A_REVERSE; }

/// Sets the attributes and colour pair for later output; pairs beyond 32767 go through `opts`.
static inline int emorl_attr_set(attr_t attrs, int pair) {
    return wattr_set(stdscr, attrs, (NCURSES_PAIRS_T)(pair <= 32767 ? pair : 0), &pair);
}

// MARK: - Screen

static inline WINDOW *emorl_stdscr(void) { return stdscr; }
static inline int emorl_colors(void) { return COLORS; }
static inline int emorl_color_pairs(void) { return COLOR_PAIRS; }
static inline void emorl_size(int *rows, int *columns) { getmaxyx(stdscr, *rows, *columns); }

// MARK: - Mouse

static inline mmask_t emorl_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t emorl_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t emorl_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t emorl_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t emorl_report_mouse_position(void) { return REPORT_MOUSE_POSITION; }
static inline mmask_t emorl_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }

// MARK: - Signals

/// Restores the default action of `number` and raises it again (after the terminal is restored).
static inline void emorl_reraise_default(int number) {
    signal(number, SIG_DFL);
    raise(number);
}
