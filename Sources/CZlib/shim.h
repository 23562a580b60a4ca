#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <zlib.h>

/// deflateInit2 and inflateInit2 are macros (they pass the library's version and the stream's size),
/// which Swift cannot call; these are the same calls as functions.
static inline int czlib_deflate_init_gzip(z_stream *stream, int level) {
    // 15 + 16: a 32 KiB window with a gzip header and trailer.
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init_gzip(z_stream *stream) {
    // 15 + 16: a 32 KiB window, gzip only (a zlib or raw stream is refused).
    return inflateInit2(stream, 15 + 16);
}

#endif
