/* SPDX-License-Identifier: Apache-2.0 */
/* What the file-mapping transports share (private to toe_transport). */
#ifndef TOE_TRANSPORT_INTERNAL_H_
#define TOE_TRANSPORT_INTERNAL_H_

#include <stddef.h>

/* Open `path` read-write with the extra open(2) `flags` and map `size` bytes of it shared at
 * offset 0. Returns the mapping and the descriptor in *fd, or NULL with errno set (the file
 * closed again). */
void *toe_tr_map_file(const char *path, size_t size, int flags, int *fd);

#endif /* TOE_TRANSPORT_INTERNAL_H_ */
