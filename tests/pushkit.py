"""Helpers for the push tests: a store with a bank's quiet history and a spike, and rerouting of
the robot services' HTTPS endpoints to the local receiver.

apprise's 企业微信, 钉钉, 飞书 and Lark plugins post to fixed hosts (qyapi.weixin.qq.com,
oapi.dingtalk.com, open.feishu.cn, open.larksuite.com).  :func:`reroute` sends those requests, as
apprise built them (path, query, headers, body), to the receiver on 127.0.0.1 instead: the edge of
the world is the only thing replaced, and any other host is refused, so a test cannot reach the
network.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest
import requests

from reportgen.config.core import load_config
from reportgen.flow.pipeline import score_pending
from reportgen.insight.incidents import cluster_pending
from reportgen.models import FetchStatus, Item, SourceHealth
from reportgen.score.match import Matcher
from reportgen.store.db import Store

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=SH)
ROBOT_HOSTS = {"qyapi.weixin.qq.com", "oapi.dingtalk.com", "open.feishu.cn", "open.larksuite.com"}

BASE = """
[settings]
database = "sqlite:///push.db"
output_dir = "out"
[[banks]]
id = "icbc"
name = "中国工商银行"
aliases = ["工商银行", "工行"]
role = "self"
[[banks]]
id = "ccb"
name = "中国建设银行"
aliases = ["建设银行"]
[[sources]]
id = "web"
name = "新浪财经"
url = "http://127.0.0.1:9/a.xml"
channel = "online"
"""

LEAK = ("建设银行客户信息遭泄露 数万条个人信息被倒卖",
        "有媒体报道，建设银行部分客户的个人信息遭泄露并在网络上被倒卖，涉及姓名、手机号和身份证号。")


def make_store(tmp_path: Path, extra: str = "") -> tuple[Store, Any]:
    path = tmp_path / "sources.toml"
    path.write_text(BASE + extra, encoding="utf-8")
    config = load_config(path)
    store = Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: s.url or "")
    return store, config


def add(store: Store, config: Any, rows: list[tuple[str, str, str, datetime]]) -> None:
    matcher = Matcher(config.banks)
    run_id = store.start_run("fetch", datetime.now(UTC))
    items = [Item(item_id=i, source_id="web", title=t, summary=s, url=f"https://news.example/{i}", guid=i,
                  author=None, published_at=at, fetched_at=at, content_hash=i) for i, t, s, at in rows]
    store.save_source_batch(run_id, SourceHealth("web", FetchStatus.OK, datetime.now(UTC), 0.1, 200, len(items)),
                            None, items, matcher.mentions)
    score_pending(store, config)
    cluster_pending(store, config)


def history(store: Store, config: Any, now: datetime = NOW) -> None:
    """Fourteen quiet days: one complaint about 工商银行 a day."""
    add(store, config, [(f"q{d}", f"工商银行第{d}期服务投诉通报", "网点排队时间过长，客户投诉服务态度差。",
                         now - timedelta(days=d, hours=2)) for d in range(1, 15)])


def icbc_spike(store: Store, config: Any, n: int = 14, at: datetime = NOW - timedelta(hours=3),
               prefix: str = "s") -> None:
    """Savers' money gone at 工商银行 branches: a 一级 alert (volume, heat and ops_loss)."""
    add(store, config, [(f"{prefix}{k}", f"工商银行{k}号网点储户资金不翼而飞{k}万元",
                         f"第{k}位储户称卡内{k}万元资金被盗刷，网点拒绝赔偿，多名客户维权。", at + timedelta(minutes=k))
                        for k in range(n)])


def ccb_leak(store: Store, config: Any, copies: int = 1, at: datetime = NOW - timedelta(hours=2),
             prefix: str = "leak") -> None:
    """A 建设银行 data leak: one copy is a 二级 alert (the data_leak category); a wave of reprints
    of the same story raises it to 一级 (volume and heat)."""
    add(store, config, [(f"{prefix}{k}", LEAK[0] if k == 0 else f"{LEAK[0]}（转载{k}）",
                         LEAK[1], at + timedelta(minutes=k)) for k in range(copies)])


def reroute(monkeypatch: pytest.MonkeyPatch, port: int) -> list[str]:
    """Send requests for the robot services' hosts to the receiver on 127.0.0.1:``port`` (the
    path keeps the host's name first); refuse every other host but 127.0.0.1.  Returns the
    original URLs, in order."""
    original_send = requests.adapters.HTTPAdapter.send
    seen: list[str] = []

    def send(self: Any, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        parts = urlsplit(request.url or "")
        if parts.hostname in ROBOT_HOSTS:
            seen.append(request.url or "")
            request.url = urlunsplit(("http", f"127.0.0.1:{port}", f"/{parts.hostname}{parts.path}", parts.query, ""))
        elif parts.hostname != "127.0.0.1":
            raise requests.ConnectionError(f"the tests do not reach {parts.hostname}")
        kwargs["verify"] = False
        return original_send(self, request, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return seen
