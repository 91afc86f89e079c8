/** Linux errno names the emulator reports, with their numbers and strerror text (asm-generic/errno*.h). */
export const ERRNO = {
  EPERM: { no: 1, text: 'Operation not permitted' },
  ENOENT: { no: 2, text: 'No such file or directory' },
  EIO: { no: 5, text: 'Input/output error' },
  EAGAIN: { no: 11, text: 'Resource temporarily unavailable' },
  ENOMEM: { no: 12, text: 'Cannot allocate memory' },
  EACCES: { no: 13, text: 'Permission denied' },
  EBUSY: { no: 16, text: 'Device or resource busy' },
  EEXIST: { no: 17, text: 'File exists' },
  ENOTDIR: { no: 20, text: 'Not a directory' },
  EISDIR: { no: 21, text: 'Is a directory' },
  EINVAL: { no: 22, text: 'Invalid argument' },
  ENOSPC: { no: 28, text: 'No space left on device' },
  ERANGE: { no: 34, text: 'Numerical result out of range' },
  ENOTEMPTY: { no: 39, text: 'Directory not empty' },
  ENODEV: { no: 19, text: 'No such device' },
  EOVERFLOW: { no: 75, text: 'Value too large for defined data type' },
  EOPNOTSUPP: { no: 95, text: 'Operation not supported' },
  ETIMEDOUT: { no: 110, text: 'Connection timed out' },
} as const;

export type Errno = keyof typeof ERRNO;

export function isErrno(name: string): name is Errno {
  return Object.prototype.hasOwnProperty.call(ERRNO, name);
}

/** "EINVAL (Invalid argument)", the way a shell user sees it next to the errno name. */
export function describeErrno(name: string): string {
  return isErrno(name) ? `${name} (${ERRNO[name].text})` : name;
}
