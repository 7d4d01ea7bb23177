"""The notarised random draw of the selection order (公证处机选选房顺序号).

Anyone holding the notary's seed and the PUBLISHED buyer list can recompute the order by hand (or with
`sha256sum`): the list is hashed, then a Fisher–Yates shuffle takes its random numbers from SHA-256 of
the seed, the list hash and a counter, with rejection sampling so every order is equally likely.
The algorithm below is printed with every result; changing it breaks the frozen test vector on purpose.
"""
from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.buyers import normalise_id
from app.errors import UserError

ALGORITHM_ID = "KEDESK-DRAW-1"

ALGORITHM = f"""\
算法 {ALGORITHM_ID}:
1. 名单规范化:每位购房者一行“序号<TAB>姓名<TAB>身份证号”,按公示名单顺序,每行以换行符结束;姓名与身份证号\
全角字符转半角(Unicode NFKC)并去除空白,身份证号另去除连接符(- _ . 等),末位 x 写作 X。整份文本按 UTF-8 编码计算 SHA-256,得到“名单摘要”(64 位十六进制小写)。
2. 种子规范化:去掉首尾空白,全角字符转半角(Unicode NFKC),连续空白合并为一个空格。
3. 随机数:第 k 个随机数(k 从 0 起)取 SHA-256(“种子|名单摘要|k” 的 UTF-8 编码)前 8 字节,按大端无符号整数读出 r。\
需要 0 至 m−1 的数时,若 r < 2^64 − (2^64 mod m) 取 r mod m,否则弃用 r 并取下一个 k(拒绝抽样,无取模偏差)。
4. 洗牌(Fisher–Yates):按名单顺序排出序号,i 从最后一位倒数到第 2 位,每次取 0 至 i 的随机数 j,交换第 i 位与第 j 位。\
结果第 1 位即第 1 号选房者,依此类推。

Algorithm {ALGORITHM_ID}:
1. List: one line per buyer "index<TAB>name<TAB>ID" in the published order, each ending in a newline; \
name and ID in NFKC (full-width as half-width) without whitespace, the ID also without dashes, underscores \
or dots, x as X. SHA-256 of the UTF-8 text, lower-case hex, is the list hash.
2. Seed: surrounding whitespace stripped, NFKC (full-width to half-width), inner whitespace runs as one space.
3. Random numbers: the k-th (k from 0) is the first 8 bytes, big-endian, of SHA-256 of the UTF-8 text \
"seed|list hash|k". For a number below m, r is used as r mod m when r < 2^64 - (2^64 mod m); otherwise it is \
discarded and the next k is taken (rejection sampling: no modulo bias).
4. Shuffle (Fisher-Yates): the indexes in list order; for i from the last position down to the second, \
draw j in 0..i and swap positions i and j. Position 1 of the result chooses first, and so on.
"""

_SPAN = 1 << 64


@dataclass(frozen=True)
class DrawResult:
    """order: the buyers' list indexes in selection order (order[0] chooses first)."""

    order: tuple[int, ...]
    list_hash: str
    algorithm: str
    seed: str  # as normalised, for the printed result


def normalise_seed(seed: str | None) -> str:
    """Strip, full-width → half-width (NFKC), collapse inner whitespace to one space."""
    return " ".join(unicodedata.normalize("NFKC", seed or "").split())


def _entry_line(entry: Sequence) -> str:
    index, name, id_number = entry
    if isinstance(index, bool) or not isinstance(index, int):
        raise UserError(f"名单序号必须是整数:{index!r}")
    name = "".join(unicodedata.normalize("NFKC", name or "").split())  # exactly as ALGORITHM says
    return f"{index}\t{name}\t{normalise_id(id_number)}\n"


def canonical_text(entries: Iterable[Sequence]) -> str:
    """The published list as hashed: one "index\\tname\\tID\\n" line per entry, in list order."""
    return "".join(_entry_line(e) for e in entries)


def list_hash(entries: Iterable[Sequence]) -> str:
    """SHA-256 hex of the canonical list text (名单摘要)."""
    return hashlib.sha256(canonical_text(entries).encode("utf-8")).hexdigest()


class _Stream:
    """Uniform integers from SHA-256(seed|list_hash|counter), rejection-sampled."""

    def __init__(self, seed: str, digest: str):
        self.prefix = f"{seed}|{digest}|"
        self.counter = 0

    def below(self, m: int) -> int:
        limit = _SPAN - _SPAN % m
        while True:
            block = hashlib.sha256(f"{self.prefix}{self.counter}".encode()).digest()
            self.counter += 1
            r = int.from_bytes(block[:8], "big")
            if r < limit:
                return r % m


def draw(seed: str, entries: Sequence[Sequence]) -> DrawResult:
    """The selection order for the published list `entries` [(index, name, ID), …] under the notary's seed."""
    seed = normalise_seed(seed)
    if not seed:
        raise UserError("请输入公证处给出的随机种子,再进行机选。")
    entries = list(entries)
    indexes = [e[0] for e in entries]
    if len(set(indexes)) != len(indexes):
        dup = sorted({i for i in indexes if indexes.count(i) > 1})
        raise UserError(f"名单序号重复:{'、'.join(map(str, dup))}。请先修正名单再机选。")
    digest = list_hash(entries)
    stream = _Stream(seed, digest)
    order = list(indexes)
    for i in range(len(order) - 1, 0, -1):
        j = stream.below(i + 1)
        order[i], order[j] = order[j], order[i]
    return DrawResult(tuple(order), digest, ALGORITHM, seed)


def verify(seed: str, entries: Sequence[Sequence], claimed_order: Sequence[int]) -> bool:
    """True when recomputing the draw gives exactly `claimed_order`."""
    try:
        return draw(seed, entries).order == tuple(claimed_order)
    except UserError:
        return False
