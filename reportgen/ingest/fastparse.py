"""The fast parse path: RSS 2.0, Atom 1.0 and RDF read with lxml, to exactly what feedparser gives.

feedparser spends most of its time in Python, one SAX callback per element and per run of text,
on state that reportgen never reads.  :func:`read_feed` parses the document with lxml's C parser
and replays, for the elements reportgen keeps (the feed's title and link; each entry's title,
link, id, summary and content, author and dates), the very element handlers feedparser's
strict parser would have run, in the same order and with the same state (which title wins, which
``<link>`` overrides which, when a ``<guid>`` is the link, the author's name and e-mail, the
``utf-8`` read as ``latin-1`` repair, the cp1252 mapping, the HTML-or-text guess), so that
:func:`reportgen.ingest.parse.parse_feed` builds the same items from it as from feedparser's result.

It does not guess.  Anything it does not fully understand returns ``None`` with the reason, and
the document goes to feedparser: an encoding other than UTF-8 or ASCII, an HTTP content type
feedparser would call bozo, a DOCTYPE or entity declaration, XML that is not well-formed,
``xml:base``, a ``Content-Location`` header, an element with a feedparser handler outside the
set replayed here (Media RSS, iTunes, GeoRSS, ``<source>``, contributors, …), markup inside a
text element (Atom ``type="xhtml"``, child elements), base64 or other non-text content, a second
summary that feedparser would turn into content, an element whose name collides with a key the
items are built from.  ``tests/test_fastparse.py`` compares the two paths field by field over the
feedparser and rss2email corpora and generated feeds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin, make_safe_absolute_uri
from lxml import etree

logger = logging.getLogger(__name__)

__all__ = ["FastFeed", "Fallback", "read_feed"]


class FastFeed(NamedTuple):
    """What feedparser's result holds of the document, for the keys reportgen reads."""

    version: str
    feed: dict[str, Any]
    entries: list[dict[str, Any]]


class Fallback(Exception):
    """The document needs feedparser (the reason is the message)."""


# --- what feedparser would make of the bytes and headers ------------------------------------------

_NAMESPACES: dict[str, str] = {k.lower(): v for k, v in _FeedParserMixin.namespaces.items()}
_HANDLERS = frozenset(name for name in dir(_FeedParserMixin) if name.startswith(("_start_", "_end_")))
_KEYMAP: dict[str, Any] = {"channel": "feed", "items": "entries", "guid": "id", "date": "updated",
                           "date_parsed": "updated_parsed", "description": "summary",
                           "description_detail": "summary_detail", "url": "href", "modified": "updated",
                           "modified_parsed": "updated_parsed", "issued": "published",
                           "issued_parsed": "published_parsed", "copyright": "rights",
                           "copyright_detail": "rights_detail", "tagline": "subtitle",
                           "tagline_detail": "subtitle_detail"}  # FeedParserDict.keymap, first choice of each
# Keys the items are built from (or that feedparser's handlers read back): an element of no
# handler whose name lands on one of them would be stored there by feedparser's catch-all.
_SENSITIVE = frozenset({
    "title", "title_detail", "link", "links", "id", "guidislink", "summary", "summary_detail", "content",
    "author", "author_detail", "authors", "published", "published_parsed", "updated", "updated_parsed",
    "created", "created_parsed", "tags", "image", "textinput", "source", "subtitle", "subtitle_detail",
})
_XML_TYPES = ("application/xml", "application/xml-dtd", "application/xml-external-parsed-entity")
_TEXT_XML_TYPES = ("text/xml", "text/xml-external-parsed-entity")
_UTF8 = frozenset({"utf-8", "utf8"})
_ASCII = frozenset({"us-ascii", "ascii"})
_XML_PI_ENCODING = re.compile(rb"^<\?.*encoding=['\"](.*?)['\"].*\?>")  # feedparser's, to agree with it
_DECLARATION = re.compile(rb"<!(?!--)")  # DOCTYPE, ENTITY: feedparser rewrites them
_FIRST_TAG = re.compile(rb"<\w")
# (a regex finds these literals in a feed sooner than bytes.count or bytes.__contains__)
_BASE = re.compile(rb"base")  # xml:base, or any other attribute named base: track base URIs
_XMLNS = re.compile(rb"xmlns")
_LINK_REF = re.compile("&([A-Za-z0-9_]+);")
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_BEYOND_LATIN1 = re.compile("[^\x00-\xff]")
_C1 = re.compile("[\x80-\x9f]")  # what feedparser maps from cp1252
_VERSION_NAMESPACES = frozenset({"http://purl.org/rss/1.0/", "http://www.w3.org/2005/atom",
                                 "http://my.netscape.com/rdf/simple/0.9/"})
_TEXT_TYPES = frozenset({"text/plain", "text/html"})
_LOOKS_LIKE_HTML = _FeedParserMixin.looks_like_html
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _checked_body(body: bytes, headers: Mapping[str, str], utf8: bool = False) -> bytes:
    """The bytes for lxml, when feedparser would read them as UTF-8 (or ASCII) without complaint
    (``utf8``: the caller has found them valid UTF-8)."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    elif body[:2] in (b"\xfe\xff", b"\xff\xfe") or body[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00",
                                                               b"\x00<\x00?", b"<\x00?\x00", b"Lo\xa7\x94"):
        raise Fallback("UTF-16/32 or EBCDIC")
    match = _XML_PI_ENCODING.match(body)
    xml_encoding = match.group(1).decode("utf-8", "replace").lower() if match else ""
    if xml_encoding and xml_encoding not in _UTF8 and xml_encoding not in _ASCII:
        raise Fallback(f"declared {xml_encoding}")
    if headers:
        media, _, params = headers.get("content-type", "").partition(";")
        media = media.strip()
        charset = ""
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset":
                charset = value.strip().strip("\"'")
        if media in _XML_TYPES or (media.startswith("application/") and media.endswith("+xml")):
            encoding = charset or xml_encoding or "utf-8"
        elif media in _TEXT_XML_TYPES or (media.startswith("text/") and media.endswith("+xml")):
            encoding = charset or "us-ascii"
        else:
            raise Fallback(f"{media or 'no'} content type: feedparser calls it bozo")
    else:
        encoding = xml_encoding or "utf-8"
    encoding = encoding.lower()
    if encoding in _ASCII:
        if not body.isascii():
            raise Fallback("declared ASCII, is not")
    elif encoding not in _UTF8:
        raise Fallback(f"encoding {encoding}")
    elif not utf8 and not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            raise Fallback("not valid UTF-8") from None
    first = _FIRST_TAG.search(body)
    if _DECLARATION.search(body, 0, first.start() if first else len(body)):
        raise Fallback("DOCTYPE or entity declaration")
    return body


# --- the replay ----------------------------------------------------------------------------------


class _Replay:
    """feedparser's strict-parser handlers for the elements reportgen reads, driven by lxml's tree.

    The methods keep feedparser's names and logic (``feedparser/mixin.py`` and
    ``feedparser/namespaces/_base.py``, 6.0); what they would do with state reportgen never reads
    (languages, tags, enclosures, …) is left out, and whatever would touch the kept keys in a way
    not replayed here raises :class:`Fallback`.
    """

    def __init__(self, baseuri: str = "") -> None:
        self.baseuri = baseuri
        self.basestack: list[str] = []
        self.version = ""
        self.feeddata: dict[str, Any] = {}
        self.entries: list[dict[str, Any]] = []
        self.namespacemap: dict[str | None, str] = {}
        self.namespaces_in_use: dict[str, str] = {}
        self.infeed = self.inentry = self.incontent = self.intextinput = self.inimage = 0
        self.inauthor = self.has_content = self.insource = 0
        self.sourcedata: dict[str, Any] = {}
        self.guidislink = False
        self.contentparams: dict[str, Any] = {}
        self.summary_key: str | None = None
        self.elementstack: list[list[Any]] = []  # the one list, for the whole walk
        self.title_depth = -1
        self.depth = 0
        self.entry_depths: dict[str, int] = {}  # feedparser's property_depth[id(the entry)]
        self._names: dict[str, str] = {}  # lxml tag → feedparser's name, while the namespaces stay put
        self._dispatch: dict[str, tuple[Any, ...]] = {}  # lxml tag → what to do with it, likewise
        self.bases = bool(baseuri)  # xml:base, or a base URI from the headers: track it per element
        self.epoch = 0  # counts the namespace declarations that cleared the caches above
        self.unsettled = False  # a date handler filed a string under *_parsed (see _settle_dates)

    # --- names and the walk ---

    def track_namespace(self, prefix: str | None, uri: str) -> None:
        lower = uri.lower()
        if not self.version:
            if (prefix, lower) == (None, "http://my.netscape.com/rdf/simple/0.9/"):
                self.version = "rss090"
            elif lower == "http://purl.org/rss/1.0/":
                self.version = "rss10"
            elif lower == "http://www.w3.org/2005/atom":
                self.version = "atom10"
        if "backend.userland.com/rss" in lower:
            uri = lower = "http://backend.userland.com/rss"
        if lower in _NAMESPACES:
            self.namespacemap[prefix] = _NAMESPACES[lower]
            self.namespaces_in_use[_NAMESPACES[lower]] = uri
        else:
            self.namespaces_in_use[prefix or ""] = uri
        self._names.clear()
        self._dispatch.clear()
        self.epoch += 1  # the names cached so far may no longer hold

    def name_of(self, tag: str) -> str:
        """The element's name as feedparser's strict parser passes it on (``startElementNS``)."""
        found = self._names.get(tag)
        if found is not None:
            return found
        namespace, _, local = tag[1:].partition("}") if tag[:1] == "{" else ("", "", tag)
        lower = namespace.lower()
        if "backend.userland.com/rss" in lower:
            namespace = lower = "http://backend.userland.com/rss"
        local = local.lower()
        prefix = _NAMESPACES.get(lower)
        if prefix:
            local = prefix.lower() + ":" + local
        elif namespace:  # Expat gives no qualified name: the first prefix declared for the URI
            for name, value in self.namespaces_in_use.items():
                if name and value == namespace:
                    local = name + ":" + local
                    break
        self._names[tag] = local = local.lower()
        return local

    def walk(self, element: Any, parent_nsmap: Mapping[str | None, str] | None) -> None:
        """One element, as the SAX events feedparser's strict parser gets for it.  ``parent_nsmap``
        is ``None`` once the namespaces are known to be declared on the root alone."""
        if parent_nsmap is not None:
            nsmap = element.nsmap
            if nsmap != parent_nsmap:
                self.declare([(p, u) for p, u in nsmap.items() if parent_nsmap.get(p) != u])
        else:
            nsmap = None
        lxml_tag = element.tag
        found = self._dispatch.get(lxml_tag)
        if found is None:
            found = self._dispatch[lxml_tag] = self.dispatch(lxml_tag)
        tag, name, starting, ending, plain_textinput, plain_image, refused, lane, any_attrs = found
        items = element.items()
        attrs = _attributes(items) if items else {}
        # feedparser's unknown_starttag
        self.depth += 1
        if self.bases:
            self.enter_base(attrs)
        if plain_textinput:
            self.intextinput = 0
        if plain_image:
            self.inimage = 0
        if lane is not None and (any_attrs or not attrs) and self.inentry and not len(element) \
                and not (self.insource or self.inimage or self.intextinput or self.incontent or self.bases):
            lane(self, self.entries[-1], element.text or "", attrs)  # start, text and end in one step (see _LANES)
            self.depth -= 1
            return
        stack = self.elementstack
        if starting is not None:
            starting(self, attrs)
        elif refused:
            raise Fallback(refused)
        elif attrs:
            self.context()[_KEYMAP.get(name, name)] = attrs  # no push: its text goes to the parent
        else:
            stack.append([name, 1, []])  # push
        if starting is _START_ITEM and nsmap is None and not (self.bases or self.insource):
            self.walk_entry(element, tag, stack)  # (no declaration inside: the epoch stays)
        else:
            text = element.text
            if text and stack:
                stack[-1][2].append(text)
            if len(element):
                epoch = self.epoch
                dispatch = self._dispatch
                for child in element:
                    child_tag = child.tag
                    if isinstance(child_tag, str):
                        if self.incontent:
                            raise Fallback(f"markup inside <{tag}>")
                        found = dispatch.get(child_tag) if nsmap is None else None
                        if found is not None and found[2] is _START_ITEM and not (self.bases or self.insource) \
                                and not child.items():
                            self.walk_item(child, found)
                        else:
                            self.walk(child, nsmap)
                    text = child.tail
                    if text and stack:
                        stack[-1][2].append(text)
                # feedparser's unknown_endtag looks the name up again: a declaration inside may change it
                if self.epoch != epoch:
                    ending = self.dispatch(lxml_tag)[3]
        if ending is not None:
            ending(self)
        else:
            self.pop(name)
        if self.bases:
            self.leave_base()
        self.depth -= 1

    def walk_item(self, element: Any, found: tuple[Any, ...]) -> None:
        """walk() of an entry with no attributes, the namespaces declared on the root alone, no
        xml:base, outside ``<source>``: what walk() does there, without its general steps."""
        self.depth += 1
        if found[4]:
            self.intextinput = 0
        if found[5]:
            self.inimage = 0
        _START_ITEM(self, {})
        self.walk_entry(element, found[0], self.elementstack)
        found[3](self)  # _end_item (no declaration inside: the name stays)
        self.depth -= 1

    def walk_entry(self, element: Any, tag: str, stack: list[list[Any]]) -> None:
        """The text and children of an entry that has just started, as walk() takes them, with a
        leaf's lane taken here, without a call to walk() (the namespaces are declared on the root
        alone, so there is nothing to declare, and no xml:base).

        In an entry, ``inimage`` and ``intextinput`` stay 0 (their start handlers fall back there) and
        a child leaves ``insource`` as it found it (0), so walk()'s lane test comes down to the
        leaf's own and ``inentry`` (which a nested entry's end clears for the rest of this one).
        Text that would go to the entry's own frame on the stack is not read: _end_item's pop
        drops it (a frame left above it, as ``<content>`` leaves one, gets its text as before).
        """
        entry = self.entries[-1]
        dispatch = self._dispatch
        frame = stack[-1]  # _start_item's: the entry's own text goes there
        for child in element:
            child_tag = child.tag
            if isinstance(child_tag, str):
                if self.incontent:
                    raise Fallback(f"markup inside <{tag}>")
                leaf = dispatch.get(child_tag)
                if leaf is not None and leaf[7] is not None and self.inentry and not len(child):
                    items = child.items()
                    if leaf[8] or not items:
                        self.depth += 1
                        leaf[7](self, entry, child.text or "", _attributes(items) if items else {})
                        self.depth -= 1
                        if stack[-1] is not frame:
                            text = child.tail
                            if text:
                                stack[-1][2].append(text)
                        continue
                self.walk(child, None)
            if not stack or stack[-1] is not frame:
                text = child.tail
                if text and stack:
                    stack[-1][2].append(text)

    def declare(self, declared: list[tuple[str | None, str]]) -> None:
        """``startPrefixMapping`` for an element's namespace declarations."""
        if not self.version and sum(u.lower() in _VERSION_NAMESPACES for _, u in declared) > 1:
            raise Fallback("namespace declarations whose order decides the version")
        for prefix, uri in declared:
            if uri:
                self.track_namespace(prefix, uri)

    def dispatch(self, lxml_tag: str) -> tuple[Any, ...]:
        """What feedparser does with an element of this tag, while the namespaces stay as they are:
        its name, handlers, whether it ends ``<textinput>`` and ``<image>``, why it needs feedparser."""
        tag = self.name_of(lxml_tag)
        prefix, _, suffix = tag.partition(":") if ":" in tag else ("", "", tag)
        prefix = self.namespacemap.get(prefix, prefix)
        if prefix:
            prefix += "_"
        name = prefix + suffix
        refused = None
        if name not in _STARTS:
            if "_start_" + name in _HANDLERS or "_end_" + name in _HANDLERS:
                refused = f"<{tag}> has a feedparser handler not replayed here"
            elif name in _SENSITIVE or _KEYMAP.get(name, name) in _SENSITIVE:
                refused = f"<{tag}> would land on a kept key"
        lane, any_attrs = _LANES.get(name, (None, False))
        return (tag, name, _STARTS.get(name), _ENDS.get(name),
                not prefix and tag not in ("title", "link", "description", "name"),
                not prefix and tag not in ("title", "link", "description", "url", "href", "width", "height"), refused,
                lane if _USE_LANES else None, any_attrs)

    def enter_base(self, attrs: Mapping[str, str]) -> None:
        base = attrs.get("xml:base", attrs.get("base")) or self.baseuri
        if self.baseuri:
            self.baseuri = make_safe_absolute_uri(self.baseuri, base) or self.baseuri
        else:
            self.baseuri = _urljoin(self.baseuri, base)
        self.basestack.append(self.baseuri)

    def leave_base(self) -> None:
        if self.basestack:
            self.basestack.pop()
            if self.basestack and self.basestack[-1]:
                self.baseuri = self.basestack[-1]

    # --- feedparser's stack ---

    def push(self, element: str, expecting_text: int) -> None:
        self.elementstack.append([element, expecting_text, []])

    def context(self) -> dict[str, Any]:
        if self.insource:
            return self.sourcedata
        if self.inimage and "image" in self.feeddata:
            return self.feeddata["image"]
        if self.intextinput:
            return self.feeddata["textinput"]
        if self.inentry:
            return self.entries[-1]
        return self.feeddata

    def pop(self, element: str) -> str | None:
        stack = self.elementstack
        if not stack or stack[-1][0] != element:
            return None
        element, expecting_text, pieces = stack.pop()
        output = (pieces[0] if len(pieces) == 1 else "".join(pieces)).strip()
        if not expecting_text:
            return output
        params = self.contentparams
        if output and element in _RELATIVE and (element != "id" or self.guidislink):
            output = _join(self.baseuri or "", output)
        output = self.fix_text(output, params)
        if element in ("category", "tags", "itunes_keywords"):
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        if self.inentry and not self.insource:
            entry = self.entries[-1]
            if element == "content":
                entry.setdefault("content", []).append({**params, "value": output})
            elif element == "link":
                if not self.inimage:
                    if "&" in output:
                        output = _LINK_REF.sub(r"&\g<1>", output.replace("&amp;", "&"))
                    entry["link"] = output
                    if output:
                        entry["links"][-1]["href"] = output
            else:
                if element == "description":
                    element = "summary"
                depths = self.entry_depths
                old = depths.get(element)
                if old is None or self.depth <= old:
                    depths[element] = self.depth
                    entry[_KEYMAP.get(element, element)] = output
                if self.incontent:
                    entry[_KEYMAP.get(element + "_detail", element + "_detail")] = {**params, "value": output}
        elif self.infeed or self.insource:
            context = self.context()
            if element == "description":
                element = "subtitle"
            context[_KEYMAP.get(element, element)] = output
            if element == "link":
                output = _LINK_REF.sub(r"&\g<1>", output)
                context["link"] = output
                context["links"][-1]["href"] = output
            elif self.incontent:
                context[_KEYMAP.get(element + "_detail", element + "_detail")] = {**params, "value": output}
        return output

    def fix_text(self, output: str, params: dict[str, Any]) -> str:
        """What feedparser's ``pop`` does to every text before filing it: the HTML guess, and
        the encoding repairs."""
        if params:
            if params.get("type") == "text/plain" and not self.version.startswith("atom") \
                    and _looks_like_html(output):
                params["type"] = "text/html"
            params.pop("mode", None)
            params.pop("base64", None)
        return output if output.isascii() else _repaired(output)  # ASCII is left as it is by both steps

    # --- lanes: a leaf element of an entry, start, text and end in one step ---
    #
    # Taken by walk() only for an element with no children in an entry, outside <source>, <image>,
    # <textinput>, content and xml:base, with no attributes (but <guid>'s).  Each does what the
    # handlers named in its docstring and pop() do there, in the same order; walk() goes the
    # long way for anything else.  tests/test_fastparse.py compares the two ways on every corpus.
    # pop()'s filing of an entry's text under a key (the first, outermost one winning: see
    # entry_depths) is written out in each.

    def _lane_title(self, entry: dict[str, Any], text: str, attrs: Mapping[str, str]) -> None:
        """_start_title, push_content, pop_content, pop (fix_text's guess: params are text/plain), _end_title."""
        output = text.strip()
        kind = "text/html" if ("<" in output or "&" in output) and not self.version.startswith("atom") \
            and _LOOKS_LIKE_HTML(output) else "text/plain"
        if not output.isascii() and (_BEYOND_LATIN1.search(output) is None or not output.isprintable()):
            output = _repaired(output)  # (else it has nothing to repair)
        if self.contentparams:
            self.contentparams = {}
        if not -1 < self.title_depth <= self.depth:
            depths = self.entry_depths  # file_entry(entry, "title", output)
            old = depths.get("title")
            if old is None or self.depth <= old:
                depths["title"] = self.depth
                entry["title"] = output
            entry["title_detail"] = {"type": kind, "value": output}
        if output:
            self.title_depth = self.depth

    def _lane_description(self, entry: dict[str, Any], text: str, attrs: Mapping[str, str]) -> None:
        """_start_description, push_content, pop_content, pop (no guess: params are text/html),
        _end_description."""
        if "summary" in entry and not self.has_content:
            raise Fallback("a second summary, which feedparser reads as content")
        output = text.strip()
        if not output.isascii() and (_BEYOND_LATIN1.search(output) is None or not output.isprintable()):
            output = _repaired(output)  # (else it has nothing to repair)
        if self.contentparams:
            self.contentparams = {}
        depths = self.entry_depths  # file_entry(entry, "summary", output)
        old = depths.get("summary")
        if old is None or self.depth <= old:
            depths["summary"] = self.depth
            entry["summary"] = output
        entry["summary_detail"] = {"type": "text/html", "value": output}
        self.summary_key = None

    def _lane_link(self, entry: dict[str, Any], text: str, attrs: Mapping[str, str]) -> None:
        """_start_link (no href: the text is the link), pop, _end_link."""
        links = entry.get("links")
        link = {"rel": "alternate", "type": "text/html"}
        if links is None:
            entry["links"] = [link]
        else:
            links.append(link)
        output = text.strip()
        if output and ":///" in output:
            output = _join("", output)  # no xml:base: the base is empty
        output = self.fix_text(output, self.contentparams) if self.contentparams or not output.isascii() else output
        if "&" in output:
            output = _LINK_REF.sub(r"&\g<1>", output.replace("&amp;", "&"))
        entry["link"] = output
        if output:
            link["href"] = output

    def _lane_guid(self, entry: dict[str, Any], text: str, attrs: Mapping[str, str]) -> None:
        """_start_guid, pop, _end_guid."""
        self.guidislink = guidislink = attrs.get("ispermalink", "true") == "true" if attrs else True
        output = text.strip()
        if output and guidislink and ":///" in output:
            output = _join("", output)
        output = self.fix_text(output, self.contentparams) if self.contentparams or not output.isascii() else output
        depths = self.entry_depths  # file_entry(entry, "id", output)
        old = depths.get("id")
        if old is None or self.depth <= old:
            depths["id"] = self.depth
            entry["id"] = output
        if "guidislink" not in entry:
            entry["guidislink"] = guidislink and "link" not in entry
        if guidislink and "link" not in entry:
            entry["link"] = output

    def _lane_pubdate(self, entry: dict[str, Any], text: str, attrs: Mapping[str, str]) -> None:
        """_start_published, pop, _end_published (and what read_feed's _settle_dates makes of its string)."""
        output = text.strip()
        output = self.fix_text(output, self.contentparams) if self.contentparams or not output.isascii() else output
        depths = self.entry_depths  # file_entry(entry, "published", output)
        old = depths.get("published")
        if old is None or self.depth <= old:
            depths["published"] = self.depth
            entry["published"] = output
        entry["published_parsed"] = _LazyStruct(output) if output else None

    def _lane_author(self, entry: dict[str, Any], text: str, attrs: Mapping[str, str]) -> None:
        """_start_author, pop, _end_author (sync_author_detail: the entry is the context, and the
        author just added has no details)."""
        detail: dict[str, Any] = {}
        authors = entry.get("authors")
        if authors is None:
            entry["authors"] = [detail]
        else:
            authors.append(detail)
        output = text.strip()
        output = self.fix_text(output, self.contentparams) if self.contentparams or not output.isascii() else output
        depths = self.entry_depths  # file_entry(entry, "author", output)
        old = depths.get("author")
        if old is None or self.depth <= old:
            depths["author"] = self.depth
            entry["author"] = output
        self.inauthor = 0
        author = entry.get("author")
        if author:
            _split_author(entry, detail, author)

    def push_content(self, tag: str, attrs: Mapping[str, str], default_type: str, expecting_text: int) -> None:
        """``default_type`` is one of :data:`_TEXT_TYPES` (what ``_content_type`` keeps as it is)."""
        self.incontent += 1
        kind = attrs.get("type")
        kind = default_type if kind is None else _content_type(kind)
        self.contentparams = {"type": kind}
        # base64, a type not text/ nor XML, and any other type but plain text and HTML: feedparser's
        if kind not in _TEXT_TYPES or attrs.get("mode") == "base64":
            raise Fallback(f"{kind} content")
        self.elementstack.append([tag, expecting_text, []])

    def pop_content(self, tag: str) -> str | None:
        value = self.pop(tag)
        self.incontent -= 1
        self.contentparams = {}
        return value

    def save(self, key: str, value: Any, overwrite: bool = False) -> None:
        context = self.context()
        key = _KEYMAP.get(key, key)
        if overwrite or key not in context:
            context[key] = value

    # --- the handlers ---

    def _start_rss(self, attrs: Mapping[str, str]) -> None:
        if not self.version or not self.version.startswith("rss"):
            version = attrs.get("version", "")
            known = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}.get(version)
            self.version = known or ("rss20" if version.startswith("2.") else "rss")

    def _start_channel(self, attrs: Mapping[str, str]) -> None:
        self.infeed = 1
        if "lastmod" in attrs or "href" in attrs:
            raise Fallback("CDF attributes")

    def _start_feed(self, attrs: Mapping[str, str]) -> None:
        self.infeed = 1
        if not self.version:
            raise Fallback("Atom before 1.0")

    def _end_channel(self) -> None:
        self.infeed = 0

    def _start_image(self, attrs: Mapping[str, str]) -> None:
        if self.inentry:
            raise Fallback("<image> in an entry")
        self.context().setdefault("image", {})
        self.inimage = 1
        self.title_depth = -1
        self.push("image", 0)

    def _end_image(self) -> None:
        self.pop("image")
        self.inimage = 0

    def _start_textinput(self, attrs: Mapping[str, str]) -> None:
        self.context().setdefault("textinput", {})
        if self.inentry:
            raise Fallback("<textinput> in an entry")
        self.intextinput = 1
        self.title_depth = -1
        self.push("textinput", 0)

    def _end_textinput(self) -> None:
        self.pop("textinput")
        self.intextinput = 0

    def _start_author(self, attrs: Mapping[str, str]) -> None:
        self.inauthor = 1
        self.push("author", 1)
        self.context().setdefault("authors", []).append({})

    def _end_author(self) -> None:
        self.pop("author")
        self.inauthor = 0
        self.sync_author_detail()

    def _start_name(self, attrs: Mapping[str, str]) -> None:
        self.push("name", 0)

    def _end_name(self) -> None:
        value = self.pop("name")
        if self.inauthor:
            self.save_author("name", value)
        elif self.intextinput:
            self.context()["name"] = value

    def _start_email(self, attrs: Mapping[str, str]) -> None:
        self.push("email", 0)

    def _end_email(self) -> None:
        value = self.pop("email")
        if self.inauthor:
            self.save_author("email", value)

    def _start_url(self, attrs: Mapping[str, str]) -> None:
        self.push("href", 1)

    def _end_url(self) -> None:
        value = self.pop("href")
        if self.inauthor:
            self.save_author("href", value)

    def save_author(self, key: str, value: Any) -> None:
        context = self.context()
        context.setdefault("author_detail", {})[key] = value
        self.sync_author_detail()
        context.setdefault("authors", [{}])
        context["authors"][-1][key] = value

    def sync_author_detail(self) -> None:
        context = self.context()
        detail = context.get("authors", [{}])[-1]
        if detail:
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                context["author"] = f"{name} ({email})"
            elif name:
                context["author"] = name
            elif email:
                context["author"] = email
            return
        author = context.get("author")
        if author:
            _split_author(context, detail, author)

    def _start_item(self, attrs: Mapping[str, str]) -> None:
        self.entries.append({})
        self.entry_depths = {}
        self.push("item", 0)
        self.inentry = 1
        self.guidislink = False
        self.title_depth = -1
        if attrs:
            about = attrs.get(self.namespacemap.get("rdf", "rdf") + ":about")
            if about:
                self.context()["id"] = about
            if "lastmod" in attrs or "href" in attrs:
                raise Fallback("CDF attributes")

    def _end_item(self) -> None:
        self.pop("item")
        self.inentry = 0
        self.has_content = 0

    def _start_published(self, attrs: Mapping[str, str]) -> None:
        self.push("published", 1)

    def _end_published(self) -> None:
        self.save("published_parsed", self.pop("published"), overwrite=True)  # read in _settle_dates
        self.unsettled = self.unsettled or bool(self.inentry)

    def _start_updated(self, attrs: Mapping[str, str]) -> None:
        self.push("updated", 1)

    def _end_updated(self) -> None:
        self.save("updated_parsed", self.pop("updated"), overwrite=True)
        self.unsettled = self.unsettled or bool(self.inentry)

    def _start_created(self, attrs: Mapping[str, str]) -> None:
        self.push("created", 1)

    def _end_created(self) -> None:
        self.save("created_parsed", self.pop("created"), overwrite=True)
        self.unsettled = self.unsettled or bool(self.inentry)

    def _start_category(self, attrs: Mapping[str, str]) -> None:
        self.push("category", 1)

    def _end_category(self) -> None:
        self.pop("category")

    def _start_link(self, attrs: dict[str, str]) -> None:
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        context = self.context()
        href = attrs.get("url", attrs.get("uri", attrs.get("href", None)))
        if href:
            attrs.pop("url", None)
            attrs.pop("uri", None)
            attrs["href"] = href
        if "href" in attrs:
            attrs["href"] = _join(self.baseuri or "", attrs["href"])
        expecting_text = self.infeed or self.inentry or self.insource
        context.setdefault("links", [])
        if not (self.inentry and self.inimage):
            context["links"].append(dict(attrs))
        if "href" in attrs:
            if attrs.get("rel") == "alternate" and _content_type(attrs.get("type", "")) in _HTML_TYPES:
                context["link"] = attrs["href"]
        else:
            self.push("link", expecting_text)

    def _end_link(self) -> None:
        self.pop("link")

    def _start_guid(self, attrs: Mapping[str, str]) -> None:
        self.guidislink = attrs.get("ispermalink", "true") == "true"
        self.push("id", 1)

    def _end_guid(self) -> None:
        value = self.pop("id")
        self.save("guidislink", self.guidislink and "link" not in self.context())
        if self.guidislink:
            self.save("link", value)

    def _start_title(self, attrs: Mapping[str, str]) -> None:
        self.push_content("title", attrs, "text/plain", self.infeed or self.inentry or self.insource)

    def _end_title(self) -> None:
        value = self.pop_content("title")
        if value:
            self.title_depth = self.depth

    def _start_description(self, attrs: Mapping[str, str]) -> None:
        if "summary" in self.context() and not self.has_content:
            raise Fallback("a second summary, which feedparser reads as content")
        self.push_content("description", attrs, "text/html", self.infeed or self.inentry or self.insource)

    def _end_description(self) -> None:
        self.pop_content("description")
        self.summary_key = None

    def _start_summary(self, attrs: Mapping[str, str]) -> None:
        if "summary" in self.context() and not self.has_content:
            raise Fallback("a second summary, which feedparser reads as content")
        self.summary_key = "summary"
        self.push_content("summary", attrs, "text/plain", 1)

    def _end_summary(self) -> None:
        self.pop_content(self.summary_key or "summary")
        self.summary_key = None

    def _start_content(self, attrs: Mapping[str, str]) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/plain", 1)
        self.push("content", 1)  # feedparser pushes twice; the outer one stays on its stack

    def _start_content_encoded(self, attrs: Mapping[str, str]) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/html", 1)

    def _end_content(self) -> None:
        copy_to_summary = _content_type(self.contentparams.get("type", "")) in _TEXT_TYPES | _HTML_TYPES
        value = self.pop_content("content")
        if copy_to_summary:
            self.save("summary", value)

    def _start_rights(self, attrs: Mapping[str, str]) -> None:
        self.push_content("rights", attrs, "text/plain", 1)

    def _end_rights(self) -> None:
        self.pop_content("rights")

    def _start_subtitle(self, attrs: Mapping[str, str]) -> None:
        self.push_content("subtitle", attrs, "text/plain", 1)

    def _end_subtitle(self) -> None:
        self.pop_content("subtitle")

    def _start_info(self, attrs: Mapping[str, str]) -> None:
        self.push_content("info", attrs, "text/plain", 1)

    def _end_info(self) -> None:
        self.pop_content("info")

    def _start_language(self, attrs: Mapping[str, str]) -> None:
        self.push("language", 1)

    def _end_language(self) -> None:
        self.pop("language")

    def _start_webmaster(self, attrs: Mapping[str, str]) -> None:
        self.push("publisher", 1)

    def _end_webmaster(self) -> None:
        self.pop("publisher")  # feedparser then files the publisher: nothing reportgen reads

    def _start_generator(self, attrs: Mapping[str, str]) -> None:
        self.push("generator", 1)

    def _end_generator(self) -> None:
        self.pop("generator")

    def _start_width(self, attrs: Mapping[str, str]) -> None:
        self.push("width", 0)

    def _end_width(self) -> None:
        self.pop("width")

    def _start_height(self, attrs: Mapping[str, str]) -> None:
        self.push("height", 0)

    def _end_height(self) -> None:
        self.pop("height")

    def _start_expirationdate(self, attrs: Mapping[str, str]) -> None:
        self.push("expired", 1)

    def _end_expirationdate(self) -> None:
        self.pop("expired")

    def _start_source(self, attrs: Mapping[str, str]) -> None:
        if "url" in attrs:
            self.sourcedata["href"] = attrs["url"]
        self.push("source", 1)
        self.insource = 1
        self.title_depth = -1  # so a title after the <source> can replace the entry's

    def _end_source(self) -> None:
        self.insource = 0
        value = self.pop("source")
        if value:
            self.sourcedata["title"] = value
        self.context()["source"] = dict(self.sourcedata)
        self.sourcedata = {}

    def _end_media_title(self) -> None:
        title_depth = self.title_depth
        self._end_title()
        self.title_depth = title_depth

    def _start_media_thumbnail(self, attrs: Mapping[str, str]) -> None:
        self.push("url", 1)

    def _end_media_thumbnail(self) -> None:
        self.pop("url")

    def _start_media_player(self, attrs: Mapping[str, str]) -> None:
        self.push("media_player", 0)

    def _end_media_player(self) -> None:
        self.pop("media_player")

    def _no_push(self, attrs: Mapping[str, str]) -> None:
        """``<enclosure>``, ``<cloud>``, ``<media:content>``, ``<media:group>``: nothing reportgen reads."""


def _pushing(element: str) -> tuple[Any, Any]:
    """Start and end handlers that only push and pop ``element`` (what they file, reportgen does not read)."""

    def start(replay: _Replay, attrs: Mapping[str, str]) -> None:
        replay.push(element, 1)

    def end(replay: _Replay) -> None:
        replay.pop(element)

    return start, end


_EMAIL = re.compile(r"(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"
                    r"([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?")
_RELATIVE = frozenset(_FeedParserMixin.can_be_relative_uri)


_CONTENT_TYPES = {"text": "text/plain", "plain": "text/plain", "html": "text/html", "xhtml": "application/xhtml+xml"}


def _content_type(kind: str) -> str:
    kind = kind.lower()
    return _CONTENT_TYPES.get(kind, kind)


def _attributes(items: list[tuple[str, str]]) -> dict[str, str]:
    """An element's attributes as feedparser's strict parser passes them on: names lower-case, a
    known namespace as its prefix, ``rel`` and ``type`` values lower-case."""
    attrs: dict[str, str] = {}
    for key, value in items:
        if key[:1] == "{":
            namespace, _, local = key[1:].partition("}")
            prefix = _NAMESPACES.get(namespace.lower(), "")
            key = prefix + ":" + local if prefix else local
        key = key.lower()
        attrs[key] = value.lower() if key in ("rel", "type") else value
    return attrs


def _split_author(context: dict[str, Any], detail: dict[str, Any], author: str) -> None:
    """sync_author_detail's reading of an author string with no details yet: name and e-mail."""
    match = _EMAIL.search(author)
    email = None
    if match:
        email = match.group(0)
        author = author.replace(email, "").replace("()", "").replace("<>", "").replace("&lt;&gt;", "").strip()
        if author and author[0] == "(":
            author = author[1:]
        if author and author[-1] == ")":
            author = author[:-1]
        author = author.strip()
    if author or email:
        context.setdefault("author_detail", detail)
    if author:
        detail["name"] = author
    if email:
        detail["email"] = email


def _repaired(output: str) -> str:
    """fix_text's encoding repairs of a text that is not ASCII."""
    if _BEYOND_LATIN1.search(output) is None:  # else the encoding fails: nothing to repair
        try:  # feedparser's repair of UTF-8 read as ISO-8859-1 and encoded again
            output = output.encode("iso-8859-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    if not output.isprintable() and _C1.search(output) is not None:  # C1 controls are not printable
        output = output.translate(_cp1252)
    return output


def _join(base: str, uri: str) -> str:
    """feedparser's ``_urljoin``, without its two regex and parse steps where they change nothing:
    with no base, ``urljoin`` gives the URI itself, and the slash fix only acts on ``scheme:///``."""
    if not base and ":///" not in uri:
        return uri
    return _urljoin(base, uri)


def _looks_like_html(text: str) -> bool:
    """feedparser's ``looks_like_html``: a close tag or an entity needs a ``<`` or an ``&``."""
    return ("<" in text or "&" in text) and _LOOKS_LIKE_HTML(text)


R = _Replay
_STARTS: dict[str, Any] = {
    "rss": R._start_rss, "channel": R._start_channel, "feed": R._start_feed, "image": R._start_image,
    "textinput": R._start_textinput, "author": R._start_author, "managingeditor": R._start_author,
    "dc_author": R._start_author, "dc_creator": R._start_author, "name": R._start_name, "email": R._start_email,
    "url": R._start_url, "homepage": R._start_url, "uri": R._start_url, "item": R._start_item,
    "entry": R._start_item, "published": R._start_published, "issued": R._start_published,
    "pubdate": R._start_published, "dcterms_issued": R._start_published, "updated": R._start_updated,
    "modified": R._start_updated, "lastbuilddate": R._start_updated, "dc_date": R._start_updated,
    "dcterms_modified": R._start_updated, "created": R._start_created, "dcterms_created": R._start_created,
    "category": R._start_category, "keywords": R._start_category, "dc_subject": R._start_category,
    "link": R._start_link, "guid": R._start_guid, "id": R._start_guid, "title": R._start_title,
    "dc_title": R._start_title, "description": R._start_description, "dc_description": R._start_description,
    "summary": R._start_summary, "content": R._start_content, "content_encoded": R._start_content_encoded,
    "rights": R._start_rights, "copyright": R._start_rights, "dc_rights": R._start_rights,
    "subtitle": R._start_subtitle, "tagline": R._start_subtitle, "info": R._start_info,
    "feedburner_browserfriendly": R._start_info, "language": R._start_language, "dc_language": R._start_language,
    "webmaster": R._start_webmaster, "dc_publisher": R._start_webmaster, "generator": R._start_generator,
    "width": R._start_width, "height": R._start_height, "expirationdate": R._start_expirationdate,
    "enclosure": R._no_push, "cloud": R._no_push, "source": R._start_source, "media_content": R._no_push,
    "media_group": R._no_push, "media_title": R._start_title, "media_description": R._start_description,
    "media_thumbnail": R._start_media_thumbnail, "media_player": R._start_media_player,
    "media_category": R._start_category,
}
_ENDS: dict[str, Any] = {
    "channel": R._end_channel, "feed": R._end_channel, "image": R._end_image, "textinput": R._end_textinput,
    "author": R._end_author, "managingeditor": R._end_author, "dc_author": R._end_author,
    "dc_creator": R._end_author, "name": R._end_name, "email": R._end_email, "url": R._end_url,
    "homepage": R._end_url, "uri": R._end_url, "item": R._end_item, "entry": R._end_item,
    "published": R._end_published, "issued": R._end_published, "pubdate": R._end_published,
    "dcterms_issued": R._end_published, "updated": R._end_updated, "modified": R._end_updated,
    "lastbuilddate": R._end_updated, "dc_date": R._end_updated, "dcterms_modified": R._end_updated,
    "created": R._end_created, "dcterms_created": R._end_created, "category": R._end_category,
    "keywords": R._end_category, "dc_subject": R._end_category, "link": R._end_link, "guid": R._end_guid,
    "id": R._end_guid, "title": R._end_title, "dc_title": R._end_title, "description": R._end_description,
    "dc_description": R._end_description, "summary": R._end_summary, "content": R._end_content,
    "content_encoded": R._end_content, "rights": R._end_rights, "copyright": R._end_rights,
    "dc_rights": R._end_rights, "subtitle": R._end_subtitle, "tagline": R._end_subtitle, "info": R._end_info,
    "feedburner_browserfriendly": R._end_info, "language": R._end_language, "dc_language": R._end_language,
    "webmaster": R._end_webmaster, "dc_publisher": R._end_webmaster, "generator": R._end_generator,
    "width": R._end_width, "height": R._end_height, "expirationdate": R._end_expirationdate,
    "source": R._end_source, "media_title": R._end_media_title, "media_description": R._end_description,
    "media_thumbnail": R._end_media_thumbnail, "media_player": R._end_media_player,
    "media_category": R._end_category,
}
for _element, _name in (("rating", "media_rating"), ("credit", "media_credit"), ("restriction", "media_restriction"),
                        ("license", "media_license")):
    _STARTS[_name], _ENDS[_name] = _pushing(_element)
_DATE_PARSED = ("published_parsed", "created_parsed", "updated_parsed")
# feedparser's name → (lane, whether the lane takes an element with attributes): see _Replay's lanes.
_LANES: dict[str, tuple[Any, bool]] = {
    "title": (R._lane_title, False), "description": (R._lane_description, False), "link": (R._lane_link, False),
    "guid": (R._lane_guid, True), "pubdate": (R._lane_pubdate, False), "author": (R._lane_author, False),
}
_USE_LANES = True  # tests switch the lanes off to compare
_START_ITEM = R._start_item


def read_feed(body: bytes, headers: Mapping[str, str], *, utf8: bool = False) -> FastFeed:
    """The feed and its entries as feedparser's strict parser would give them, for the keys reportgen
    reads, or :class:`Fallback` (with the reason) when only feedparser can tell.

    ``body`` and ``headers`` (lower-case names) are what :mod:`reportgen.ingest.parse` hands to
    feedparser.  An entry's ``*_parsed`` dates (feedparser's own reading, which reportgen uses only
    when it cannot read any of the entry's date strings) are worked out when they are read.
    ``utf8`` says that the caller has found the body valid UTF-8, which spares checking it again.
    """
    body = _checked_body(body, headers, utf8)
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise Fallback(f"not well-formed: {exc}") from None
    replay = _Replay(headers.get("content-location", ""))  # feedparser's base URI for a stream
    replay.bases = replay.bases or _BASE.search(body) is not None
    if len(_XMLNS.findall(body)) == len(root.nsmap):  # declared on the root alone: no lookups per element
        replay.declare(list(root.nsmap.items()))
        replay.walk(root, None)
    else:
        replay.walk(root, {})
    if not replay.version:
        raise Fallback("not RSS, Atom or RDF")
    if replay.unsettled:
        for entry in replay.entries:
            _settle_dates(entry)
    return FastFeed(replay.version, replay.feeddata, replay.entries)


class _LazyStruct:
    """feedparser's struct for a date string, worked out when it is read.

    :func:`reportgen.ingest.items.build_items` reads an entry's structs only when it cannot read any
    of its date strings itself, which for most feeds is never; feedparser's date parsers cost as
    much as the rest of an entry.  Read as build_items reads it (``struct[:6]``, a ``TypeError``
    meaning no usable date), it gives what feedparser's struct gives: its fields, or, where
    feedparser found no date (``None``), the ``TypeError`` that ``None[:6]`` raises.
    """

    __slots__ = ("raw",)

    def __init__(self, raw: str) -> None:
        self.raw = raw

    def __getitem__(self, key: Any) -> Any:
        parsed = _parse_date(self.raw)
        if parsed is None:
            raise TypeError("feedparser found no date in it")
        return parsed[key]


def _settle_dates(entry: dict[str, Any]) -> None:
    for key in _DATE_PARSED:
        raw = entry.get(key)  # the string feedparser would have read into its struct
        if isinstance(raw, str):  # (a lane files the struct itself)
            entry[key] = _LazyStruct(raw) if raw else None
