"""Near-duplicate events: the candidate pairs found through sorted arrays give exactly the groups of
comparing every pair of events by the rule (reportgen/insight/duplicates.py)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reportgen.insight.duplicates import bank_terms_of, incident_groups, near_duplicate_groups, same_story
from reportgen.models import EventSummary

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 29, tzinfo=SH)


def _every_pair(events: list[EventSummary]) -> dict[str, str]:
    """The rule applied to every pair, groups closed by union: each event's earliest group member."""
    ordered = sorted(events, key=lambda e: (e.first_published_at, e.event_id))
    group = list(range(len(ordered)))

    def root(x: int) -> int:
        while group[x] != x:
            x = group[x]
        return x

    for i in range(len(ordered)):
        for j in range(i + 1, len(ordered)):
            if same_story(ordered[i], ordered[j]):
                a, b = root(i), root(j)
                group[max(a, b)] = min(a, b)
    return {e.event_id: ordered[root(i)].event_id for i, e in enumerate(ordered)}


def _event(event_id: str, title: str, at: datetime, banks: tuple[str, ...], label: str,
           categories: tuple[str, ...]) -> EventSummary:
    return EventSummary(event_id, title, None, "来源", "online", at, 1, 1, ("online",), banks, banks, label,
                        categories, 1.0, dict.fromkeys(banks, 1.0))


def _headline(rng: random.Random, alphabet: str) -> str:
    n = rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 30])
    text = "".join(rng.choice(alphabet) for _ in range(n))
    if rng.random() < 0.2:
        text = rng.choice(["【快讯】", "[独家]", "(转)", "#热议#", "（更新）"]) + text
    if rng.random() < 0.2:
        text += rng.choice(["！", "？", "...", " ", "_", "——"])
    if rng.random() < 0.15:
        text += str(rng.choice([5, 18, 50, 3.5]))
    return text


def _variant(rng: random.Random, title: str, alphabet: str) -> str:
    """A copy of a headline with a few characters changed, added, dropped or cased differently."""
    chars = list(title)
    for _ in range(rng.choice([0, 1, 1, 2, 3, 6])):
        op = rng.random()
        k = rng.randrange(len(chars) + 1)
        if op < 0.4:
            chars.insert(k, rng.choice(alphabet))
        elif chars and op < 0.7:
            del chars[min(k, len(chars) - 1)]
        elif chars:
            chars[min(k, len(chars) - 1)] = rng.choice(alphabet)
    text = "".join(chars)
    if rng.random() < 0.2:
        text = text.upper()
    if rng.random() < 0.2:
        text = "【关注】" + text
    return text


def _events(seed: int, n: int, alphabet: str) -> list[EventSummary]:
    rng = random.Random(seed)
    banks = ["icbc", "ccb", "abc", "boc"]
    out: list[EventSummary] = []
    for k in range(n):
        if out and rng.random() < 0.6:
            like = rng.choice(out)
            title = _variant(rng, like.title, alphabet)
            at = like.first_published_at + timedelta(hours=rng.choice([0, 0.5, 3, 23.99, 24, 24.01, 30, -5]))
            named = like.bank_ids if rng.random() < 0.7 else tuple(rng.sample(banks, rng.randint(1, 2)))
            label = like.label if rng.random() < 0.8 else rng.choice(["negative", "neutral", "positive"])
            categories = like.categories if rng.random() < 0.7 else tuple(rng.sample(["outage", "fraud_crime"],
                                                                                      rng.randint(0, 1)))
        else:
            title = _headline(rng, alphabet)
            at = START + timedelta(minutes=rng.randrange(48 * 60), seconds=rng.choice([0, 0.5]))
            named = tuple(rng.sample(banks, rng.randint(1, 3)))
            label = rng.choice(["negative", "neutral", "positive"])
            categories = tuple(rng.sample(["outage", "fraud_crime", "complaint"], rng.randint(0, 2)))
        out.append(_event(f"e{k:04d}", title, at, named, label, categories))
    rng.shuffle(out)
    return out


@pytest.mark.parametrize(("seed", "alphabet"), [
    (1, "工商银行手机故障回应储户存款被盗刷"),
    (2, "银行卡"),  # few characters: every headline shares bigrams with many others
    (3, "abcABC工行"),
    (4, "工商银行手机故障回应储户存款被盗刷理财产品暴雷"),
    (5, "ab"),
])
def test_groups_are_those_of_comparing_every_pair(seed: int, alphabet: str) -> None:
    events = _events(seed, 400, alphabet)
    expected = _every_pair(events)
    assert near_duplicate_groups(events) == expected
    assert sum(k != v for k, v in expected.items()) > 20  # the workload has groups to find


def test_short_empty_and_identical_headlines() -> None:
    at = START
    events = [_event("a", "", at, ("icbc",), "negative", ()),
              _event("b", "！", at + timedelta(hours=1), ("icbc",), "negative", ()),  # cleans to "" as well
              _event("c", "工", at + timedelta(hours=2), ("icbc",), "negative", ()),
              _event("d", "工", at + timedelta(hours=3), ("icbc", "ccb"), "negative", ()),
              _event("e", "工行", at + timedelta(hours=4), ("icbc",), "negative", ()),
              _event("f", "工行", at + timedelta(hours=5), ("ccb",), "negative", ()),  # no bank in common with e …
              _event("g", "工行", at + timedelta(hours=6), ("ccb", "icbc"), "negative", ()),  # … but g has both
              _event("h", "工行", at + timedelta(hours=7), ("abc",), "negative", ())]
    assert near_duplicate_groups(events) == _every_pair(events) == {
        "a": "a", "b": "a", "c": "c", "d": "c", "e": "e", "f": "e", "g": "e", "h": "h"}
    assert near_duplicate_groups([]) == {}
    assert near_duplicate_groups(events[:1]) == {"a": "a"}


# --- incidents -------------------------------------------------------------------------------------

TERMS = bank_terms_of([("中国工商银行", "工商银行", "工行"), ("中国建设银行", "建设银行", "建行")])


def _at(hours: float) -> datetime:
    return datetime(2026, 12, 6, 9, 17, tzinfo=SH) + timedelta(hours=hours)


def test_a_story_the_bank_response_and_the_posts_about_it_are_one_incident() -> None:
    """Issue 16, "one incident, many times": the outage story, the bank's statement on it and the
    social posts about it are one incident; other stories of the same bank, and look-alikes that
    differ in their facts, are not."""
    story = _event("story", "工商银行手机银行突发故障 多地用户无法登录转账", _at(0), ("icbc",), "negative",
                   ("complaint", "outage"))
    post = _event("post", "#工行App崩了# 刚发的工资看得到用不了，信用卡今天最后还款日啊", _at(0.4), ("icbc",),
                  "negative", ("complaint", "fee_rate", "outage"))
    queue = _event("queue", "#工行App崩了# 工资卡里的钱取不出来，网点门口也排起了长队", _at(6), ("icbc",),
                   "negative", ("complaint", "outage"))
    response = _event("response", "工商银行回应手机银行故障：系统已全面恢复 资金安全不受影响", _at(8.6),
                      ("icbc",), "neutral", ("outage",))
    fine = _event("fine", "工商银行南宁分行因贷款“三查”不尽职，贷款资金被挪用被罚30万元", _at(8), ("icbc",),
                  "negative", ("ops_loss", "regulatory"))
    other_fine = _event("fine2", "工商银行北宁分行因贷款“三查”不尽职被罚50万元", _at(9), ("icbc",), "negative",
                        ("regulatory",))
    city_fine = _event("fine3", "工商银行南京分行因贷款“三查”不尽职，贷款资金被挪用被罚30万元", _at(9.5),
                       ("icbc",), "negative", ("ops_loss", "regulatory"))
    complaint = _event("complaint", "工商银行某支行柜员态度恶劣 储户投诉无门", _at(1), ("icbc",), "negative",
                       ("complaint",))
    peer = _event("peer", "建设银行手机银行突发故障 用户无法登录", _at(1), ("ccb",), "negative", ("outage",))
    tomorrow = _event("tomorrow", "#工行App崩了# 又登不上了", _at(25), ("icbc",), "negative", ("outage",))
    good = _event("good", "工商银行手机银行上线新版本 故障率大幅下降", _at(2), ("icbc",), "positive", ("outage",))
    groups = incident_groups([fine, response, queue, post, story, other_fine, city_fine, complaint, peer, tomorrow,
                              good], TERMS)
    assert {k for k, v in groups.items() if v == "story"} == {"story", "post", "queue", "response"}
    # the rest stand alone: another kind of news, other figures, another city, no topic in common,
    # another bank, more than a day after the incident began, good news
    assert all(groups[k] == k for k in ("fine", "fine2", "fine3", "complaint", "peer", "tomorrow", "good"))
    # a response shares the topic, not only the category: an unrelated 回应 of the bank stays apart
    unrelated = _event("u", "工商银行回应：网点排队问题已整改", _at(3), ("icbc",), "neutral", ("complaint",))
    assert incident_groups([story, unrelated], TERMS) == {"story": "story", "u": "u"}


# --- floods ----------------------------------------------------------------------------------------
#
# One feed flooding a headline with a counter (工商银行 条目 1 … 100000, audit issue 7) made every pair
# of it a candidate: n² pairs, 24 GB for 100,000 items, and the run was killed.  The bounds are checked
# by counting what is built, never by time.


def _flood(n: int, title: str, label: str = "neutral", categories: tuple[str, ...] = ()) -> list[EventSummary]:
    return [_event(f"f{i:05d}", title.format(i=i), START + timedelta(seconds=i * 86400 // n), ("icbc",), label,
                   categories) for i in range(n)]


def test_a_flood_of_numbered_headlines_makes_no_candidates() -> None:
    from reportgen.insight.duplicates import _candidate_pairs

    events = _flood(3000, "工商银行 条目 {i}")
    assert not _candidate_pairs(sorted(events, key=lambda e: (e.first_published_at, e.event_id)))
    groups = near_duplicate_groups(events)
    assert all(k == v for k, v in groups.items())  # each its own story: the numbers differ


def test_a_flood_of_one_headline_makes_linearly_many_candidates_and_one_group() -> None:
    from reportgen.insight.duplicates import NEIGHBOURS, _candidate_pairs

    events = _flood(3000, "工商银行 系统故障 客户无法转账")
    pairs = _candidate_pairs(sorted(events, key=lambda e: (e.first_published_at, e.event_id)))
    assert len(pairs) <= NEIGHBOURS * len(events)  # not the 4.5 million pairs of comparing every one
    assert set(near_duplicate_groups(events).values()) == {"f00000"}  # one story all the same


def test_a_flood_of_incidents_keeps_a_bounded_number_open(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.insight import duplicates

    compared = 0
    contradicted = duplicates._Incident.contradicted

    def counting(self: duplicates._Incident, numbers: frozenset[str], places: frozenset[str]) -> bool:
        nonlocal compared
        compared += 1
        return contradicted(self, numbers, places)

    monkeypatch.setattr(duplicates._Incident, "contradicted", counting)
    groups = incident_groups(_flood(3000, "工商银行系统故障 {i}", "negative", ("outage",)), TERMS)
    assert all(k == v for k, v in groups.items())  # every number another outage report
    assert compared <= duplicates.OPEN_INCIDENTS * 3000  # not the 4.5 million of every pair
    # one headline again and again: one incident
    same = _flood(3000, "工商银行系统故障 无法转账", "negative", ("outage",))
    assert set(incident_groups(same, TERMS).values()) == {"f00000"}
