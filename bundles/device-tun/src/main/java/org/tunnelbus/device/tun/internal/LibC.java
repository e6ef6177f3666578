package org.tunnelbus.device.tun.internal;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls the device needs, bound with jnr-ffi.
 *
 * <p>Every parameter is a primitive: buffers are passed as raw addresses of direct {@code ByteBuffer}s
 * ({@code address + offset}), so a call allocates nothing and copies nothing. {@code errno} is saved by
 * jnr-ffi after each call (read it with {@link Native#errno()}), except where {@link IgnoreError} says it
 * is not needed.
 */
public interface LibC {
    int open(String path, int flags);

    int close(int fd);

    @ssize_t long read(int fd, @intptr_t long buf, @size_t long count);

    @ssize_t long write(int fd, @intptr_t long buf, @size_t long count);

    /** {@code writev(fd, const struct iovec *iov, int iovcnt)}: one packet gathered from several buffers. */
    @ssize_t long writev(int fd, @intptr_t long iov, int iovcnt);

    /** {@code ioctl(fd, request, arg)}; {@code arg} is either a value or the address of a struct. */
    int ioctl(int fd, @intptr_t long request, @intptr_t long arg);

    /** {@code poll(struct pollfd *fds, nfds_t nfds, int timeout)}. */
    int poll(@intptr_t long fds, @size_t long nfds, int timeoutMillis);

    int eventfd(int initval, int flags);

    int setns(int fd, int nstype);

    @IgnoreError
    String strerror(int errnum);
}
