"""Where conda channels live, and the one rule for a channel alias (``--channel-alias``,
conda's ``channel_alias``): a lock records a channel's canonical URLs
(``https://conda.anaconda.org/conda-forge/linux-64/x.conda``), never the alias's; the
alias is where those files are read from, applied only when fetching (the solver's
repodata, create's downloads, a bundle's downloads): :func:`fetch_url`. A lock made
through a mirror or a local copy of a channel is then the same lock as one made against
the channel itself, and installs anywhere."""

from __future__ import annotations

import re

DEFAULT_ALIAS = "https://conda.anaconda.org"
DEFAULTS = ("https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r")
_URL_CHARS = r"[^\s/'\"<>]"
# a channel token in a URL's path (conda's form): <scheme>://<host>[/...]/t/<token>;
# compiled when first used (re's cache): a lock that strips no token never pays for it
_TOKEN = (
    rf"(?im)(\b[a-z][a-z0-9+.-]*://{_URL_CHARS}*(?:/{_URL_CHARS}+)*?)"
    rf"/t/{_URL_CHARS}+(?=/|$|[\s'\"<>])"
)


def channel_urls(channels: list[str], alias: str | None) -> list[str]:
    """conda's channel names as URLs; ``alias`` plays conda's ``channel_alias``. With an
    alias, ``defaults`` is ``<alias>/defaults`` (its canonical form is pkgs/main)."""
    urls: list[str] = []
    for channel in channels:
        if channel == "nodefaults":
            continue
        if "://" in channel:
            urls.append(channel)
        elif channel == "defaults" and alias is None:
            urls.extend(DEFAULTS)
        else:
            urls.append(f"{(alias or DEFAULT_ALIAS).rstrip('/')}/{channel}")
    return urls


def aliased_spec(spec: str, alias: str | None) -> str:
    """A MatchSpec whose channel is named (``conda-forge::numpy >=2``) read through
    ``alias``, as the file's channels are: ``<alias>/conda-forge::numpy >=2``."""
    name, sep, rest = spec.strip().partition("::")
    urls = channel_urls([name], alias) if alias and sep and name and "://" not in name else []
    return f"{urls[0]}::{rest}" if urls and " " not in name else spec


def canonical_url(url: str, alias: str | None) -> str:
    """A URL read through ``alias`` as the channel's own (what a lock records): under
    ``https://conda.anaconda.org``, ``<alias>/defaults`` under pkgs/main; any other URL as
    it is."""
    base = (alias or "").rstrip("/") + "/"
    if not alias or not url.startswith(base):
        return url
    rest = url[len(base) :]
    if rest.startswith("defaults/"):
        return f"{DEFAULTS[0]}/{rest.removeprefix('defaults/')}"
    return f"{DEFAULT_ALIAS}/{rest}"


def fetch_url(url: str, alias: str | None) -> str:
    """Where to download a locked (canonical) URL from: through ``alias`` when there is one.
    Every fetcher of a locked conda file goes through this function."""
    if not alias:
        return url
    base = alias.rstrip("/") + "/"
    for prefix in DEFAULTS:
        if url.startswith(prefix + "/"):
            return f"{base}defaults/{url[len(prefix) + 1 :]}"
    if url.startswith(DEFAULT_ALIAS + "/"):
        return base + url[len(DEFAULT_ALIAS) + 1 :]
    return url


def strip_token(text: str) -> str:
    """Every channel token in a URL's path removed (``https://conda.anaconda.org/t/<token>/
    conda-forge/x.conda`` -> ``https://conda.anaconda.org/conda-forge/x.conda``, the channel's
    own URL): what npinit writes or prints of a locked or configured URL never holds one.
    The token is used to fetch, as a URL's password is."""
    return re.sub(_TOKEN, r"\1", text)
