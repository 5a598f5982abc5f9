"""Write the legacy-encoding feed fixtures in tests/feeds/ (run once; the bytes are committed).

The text is kept here as Python strings so the fixtures' *bytes* can be GBK while this file stays
UTF-8.  The names use characters outside gb2312 (镕 堃 瑄 珺 喆), which is the whole point: a
decoder that trusts a ``gb2312`` label fails on them.

    .venv/bin/python tests/make_gbk_fixtures.py
"""

from __future__ import annotations

from pathlib import Path

FEEDS = Path(__file__).resolve().parent / "feeds"

CHANNEL = """<rss version="2.0">
  <channel>
    <title>东岳农商银行 人事任免</title>
    <link>http://www.dongyue-rcb.example/renshi/</link>
    <description>人事任免公告</description>
    <item>
      <title>关于张镕同志任东岳农商银行行长的公告</title>
      <link>http://www.dongyue-rcb.example/renshi/2026/1127.html</link>
      <pubDate>2026-11-27 09:00:00</pubDate>
      <description>经董事会审议，聘任张镕为本行行长，李堃为副行长。</description>
    </item>
    <item>
      <title>东岳农商银行董事会秘书变更公告</title>
      <link>http://www.dongyue-rcb.example/renshi/2026/1120.html</link>
      <pubDate>2026-11-20 16:30:00</pubDate>
      <description>王瑄女士因工作调整辞去董事会秘书职务，由周珺女士、陈喆先生共同负责信息披露事务。</description>
    </item>
  </channel>
</rss>
"""


def decl(encoding: str) -> str:
    return f'<?xml version="1.0" encoding="{encoding}"?>\n'


# file name -> (text, byte encoding)
FIXTURES: dict[str, tuple[str, str]] = {
    # GBK bytes, labelled gb2312 in the declaration (and, per expectations.toml, the header)
    "gbk_mislabelled_gb2312.xml": (decl("gb2312") + CHANNEL, "gbk"),
    # GBK bytes, no declaration; only the HTTP header says (wrongly) gb2312
    "gbk_header_only.xml": (CHANNEL, "gbk"),
    # no declaration, no charset header
    "no_encoding_gbk.xml": (CHANNEL, "gbk"),
    "no_encoding_utf8.xml": (CHANNEL, "utf-8"),
    # the other way round: UTF-8 bytes that claim gb2312
    "utf8_labelled_gb2312.xml": (decl("gb2312") + CHANNEL, "utf-8"),
    # GBK bytes that claim UTF-8 (an editor saved the template in the wrong encoding)
    "gbk_declared_utf8.xml": (decl("utf-8") + CHANNEL, "gbk"),
}


def main() -> None:
    for name, (text, encoding) in FIXTURES.items():
        (FEEDS / name).write_bytes(text.encode(encoding))


if __name__ == "__main__":
    main()
