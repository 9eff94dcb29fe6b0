"""Why the operating system refused a file, in the message's language.

An OSError's `strerror` is the C library's English. A message keeps the error as an
`OSReason` (its errno and that English) and words it when it is rendered: in Chinese
from the table below, in English as the system said it. An errno not in the table is
shown as the system said it in both languages.
"""

from __future__ import annotations

import errno as codes

from attrs import frozen

from pingfen.lang import Lang

# The errors a user meets reading and writing files (opening, listing, replacing, printing).
CHINESE: dict[int, str] = {
    codes.ENOENT: "文件或目录不存在",
    codes.EISDIR: "是一个目录而不是文件",
    codes.ENOTDIR: "路径中有一项不是目录",
    codes.EACCES: "没有权限",
    codes.EPERM: "不允许此操作",
    codes.ENOSPC: "磁盘空间不足",
    codes.EDQUOT: "磁盘配额已用完",
    codes.EFBIG: "文件过大",
    codes.EROFS: "文件系统只读",
    codes.ENAMETOOLONG: "文件名太长",
    codes.ELOOP: "链接层数过多",
    codes.ETXTBSY: "文件正被占用",
    codes.EBUSY: "设备或资源正忙",
    codes.EEXIST: "文件已存在",
    codes.ENOTEMPTY: "目录不是空的",
    codes.EXDEV: "不能跨文件系统移动",
    codes.EIO: "设备读写出错",
    codes.EMFILE: "打开的文件过多",
    codes.ENFILE: "系统中打开的文件过多",
    codes.ENXIO: "没有这个设备或地址",
    codes.ENODEV: "没有这个设备",
    codes.ESTALE: "网络文件句柄已失效",
    codes.ENOMEM: "内存不足",
    codes.EPIPE: "管道的另一端已关闭",
    codes.EINVAL: "参数无效",
    codes.EBADF: "文件描述符无效（已关闭）",
}


@frozen
class OSReason:
    """An OSError's reason, worded only when a message is rendered (messages._localized)."""

    errno: int | None
    english: str

    @classmethod
    def of(cls, error: OSError) -> OSReason:
        return cls(error.errno, error.strerror or str(error) or type(error).__name__)

    def text(self, lang: Lang) -> str:
        if lang == "zh" and self.errno is not None:
            return CHINESE.get(self.errno, self.english)
        return self.english

    def __str__(self) -> str:
        return self.english


def reason(error: OSError, lang: Lang) -> str:
    """The error's reason in `lang`."""
    return OSReason.of(error).text(lang)
