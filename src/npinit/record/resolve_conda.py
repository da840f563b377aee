"""Lock conda specs for every platform without installing: py-rattler solves each platform
against the project's channels with that platform's virtual packages
(:mod:`npinit.knowledge.platforms`), all platforms at once; each record is kept with its
URL, channel, build, sha256 and md5. The embedded engine installs a locked section: the
locked records are looked up in the channels by file name, their hashes checked against the
lock, and installed with ``rattler.install`` (which checks every download)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npinit.errors import Failure, InvalidInput, ToolMissing
from npinit.knowledge.channels import aliased_spec, canonical_url, fetch_url
from npinit.knowledge.platforms import virtual_packages
from npinit.model import EnvKind, Platform, Source
from npinit.record.snapshot import (
    Package,
    Snapshot,
    blas_from_conda,
    channel_name,
    unknown_blas,
)

if TYPE_CHECKING:
    from npinit.record.relock import Keep

NOARCH = "noarch"


def require_rattler() -> Any:
    """The py-rattler module, or ToolMissing (exit 3, one line) naming the extra to install."""
    try:
        import rattler
    except ImportError:
        raise ToolMissing(
            "locking conda environments needs the embedded engine (py-rattler)",
            "pip install 'npinit[conda]'",
        ) from None
    return rattler


def _package(record: Any) -> Package:
    return Package(
        name=str(record.name.normalized),
        version=str(record.version),
        source=Source.CONDA,
        build=str(record.build),
        build_number=int(record.build_number),
        channel=channel_name(str(record.channel or "")),
        subdir=str(record.subdir),
        url=str(record.url),
        md5=record.md5.hex() if record.md5 else "",
        sha256=record.sha256.hex() if record.sha256 else "",
        depends=tuple(str(d) for d in record.depends),
    )


def section(platform: Platform, records: list[Any]) -> Snapshot:
    """One lock section from a platform's solution."""
    from npinit.record.snapshot import implementation_of_build

    packages = [_package(r) for r in records]
    record = next((p for p in packages if p.name == "python"), None)
    return Snapshot(
        kind=EnvKind.CONDA,
        python=record.version if record else "",
        implementation=implementation_of_build(record.build) if record else "",
        platform=platform.value,
        packages=(),
        blas=blas_from_conda(packages) or unknown_blas(packages),
    ).with_packages(tuple(packages))


def error_line(error: BaseException) -> str:
    """rattler's error chain as one line: what failed, and the root cause."""
    text = " ".join(str(error).split())
    if not text:
        return type(error).__name__
    parts = [part.strip() for part in text.split("Caused by:")]
    line = parts[0] if len(parts) == 1 else f"{parts[0]}: {parts[-1]}"
    if len(line) <= 400:
        return line
    return line[:400].rsplit(" ", 1)[0] + " ..."  # cut between words, said to be cut


def solve(
    specs: Mapping[Platform, list[str]],
    channels: list[str],
    *,
    cache: Path,
    environ: Mapping[str, str],
    keep: Keep | None = None,
    alias: str | None = None,
) -> dict[Platform, tuple[Snapshot, list[Any]]]:
    """Solve each platform's ``specs`` against ``channels`` (URLs, read through ``alias``);
    each platform's section and its records (rattler ``RepoDataRecord``s, e.g. for
    pixi.lock), both with the channels' canonical URLs (``knowledge.channels``). The conda
    packages ``keep`` holds (a previous lock's) are preferred: py-rattler's
    ``locked_packages``; that lock is read while py-rattler solves, in a thread started once
    every platform's solve is on its way (:func:`_solve_one`). The gateway is made here:
    its constructor holds the GIL (it decodes the root certificates), so a thread of its own
    would only add the thread's start; a platform's section is made as soon as it is solved,
    while the others' solves hold no GIL."""
    rattler = require_rattler()
    import asyncio

    gateway = rattler.Gateway(cache_dir=cache / "repodata")
    sources = [rattler.Channel(url) for url in channels]

    # a spec's own channel (conda-forge::numpy) is read through the alias, as the channels are
    named = {p: [aliased_spec(s, alias) for s in wanted] for p, wanted in specs.items()}

    solved: dict[Platform, tuple[Snapshot, list[Any]]] = {}

    async def one(platform: Platform) -> None:
        records = await _solve_one(
            rattler, gateway, sources, platform, named[platform], environ, keep
        )
        for record in records:
            record.url = canonical_url(str(record.url), alias)
            record.channel = canonical_url(str(record.channel or ""), alias) or None
        solved[platform] = section(platform, records), records  # while the others solve

    async def every() -> None:  # no result: asyncio.run's end formats its task's, see below
        solving = [asyncio.ensure_future(one(p)) for p in specs]
        await asyncio.sleep(0)  # each has asked py-rattler for its solve: the GIL is free
        if keep is not None:  # (a thread started before held the GIL while they were asked)
            keep.read_ahead()
        await asyncio.gather(*solving)

    # asyncio.run, ending, asks signal.getsignal for its SIGINT handler, which formats the
    # handler's repr (it holds the main task, and so its result): three sections would be
    # written out whole (27M instructions), in vain
    asyncio.run(every())
    return {platform: solved[platform] for platform in specs}


def _virtual(rattler: Any, platform: Platform, environ: Mapping[str, str]) -> list[Any]:
    """The platform's virtual packages (``knowledge.platforms``) as py-rattler's."""
    return [
        rattler.GenericVirtualPackage(
            rattler.PackageName(name), rattler.Version(version), rattler.BuildString(build)
        )
        for name, (version, build) in virtual_packages(platform, environ).items()
    ]


async def _solve_one(
    rattler: Any,
    gateway: Any,
    sources: list[Any],
    platform: Platform,
    specs: list[str],
    environ: Mapping[str, str],
    keep: Keep | None,
) -> list[Any]:
    """One platform's solution; an invalid spec or an unsolvable platform is InvalidInput
    (exit 2), a channel that cannot be read a Failure (exit 1). It is solved first with
    nothing preferred (the previous lock is read meanwhile): a solution that is exactly the
    packages ``keep`` keeps is what preferring them gives (py-rattler prefers a locked
    variant over its own choice, and it chose those), so only another solution is solved
    again, with the kept packages the channels still serve preferred."""
    try:
        matchspecs = [rattler.MatchSpec(s) for s in specs]
    except Exception as error:  # rattler's parse errors are its own types
        raise InvalidInput(f"a conda spec is invalid: {error_line(error)}", "") from None
    virtual = _virtual(rattler, platform, environ)
    try:
        solution = await _solution(rattler, gateway, sources, platform, matchspecs, [], virtual)
        kept = keep.kept(platform.value, Source.CONDA) if keep is not None else []
        if not kept or _kept_files(kept) == _record_files(solution):
            return solution
        locked = await _still_there(gateway, sources, platform, matchspecs, kept)
        return await _solution(rattler, gateway, sources, platform, matchspecs, locked, virtual)
    except Exception as error:  # rattler's own types, loaded only when one is raised
        from rattler.exceptions import SolverError

        if isinstance(error, SolverError):
            raise InvalidInput(
                f"{platform.value} cannot be solved: {error_line(error)}",
                f"change the specs, or lock without {platform.value} (--platform)",
            ) from None
        raise Failure(
            f"the channels could not be read for {platform.value}: {error_line(error)}",
            "check the channel URLs and --channel-alias (is the channel reachable?)",
        ) from None


async def _solution(
    rattler: Any,
    gateway: Any,
    sources: list[Any],
    platform: Platform,
    specs: list[Any],
    locked: list[Any],
    virtual: list[Any],
) -> list[Any]:
    """py-rattler's solution for one platform, the ``locked`` records preferred."""
    return list(
        await rattler.solve(
            sources=sources,
            specs=specs,
            gateway=gateway,
            platforms=[platform.value, NOARCH],
            locked_packages=locked,
            virtual_packages=virtual,
        )
    )


def _kept_files(kept: list[Package]) -> list[tuple[str, str, str]]:
    """Locked packages as their subdirs, file names and sha256s, sorted (one without a
    sha256 matches no record: its platform is solved again preferring it, as before)."""
    return sorted((p.subdir, p.url.rsplit("/", 1)[-1], p.sha256 or "none") for p in kept)


def _record_files(records: list[Any]) -> list[tuple[str, str, str]]:
    """Solved records as :func:`_kept_files` gives packages."""
    return sorted(
        (str(r.subdir), str(r.file_name), r.sha256.hex() if r.sha256 else "") for r in records
    )


async def _still_there(
    gateway: Any, sources: list[Any], platform: Platform, specs: list[Any], kept: list[Package]
) -> list[Any]:
    """The channels' records of the ``kept`` packages (same subdir, file name and hashes);
    one the channels no longer serve, or serve with another hash, is not preferred. The
    query is the solver's own (the specs, followed recursively): the gateway has read the
    repodata for the first solve, so keeping costs no second read of it."""
    found = await gateway.query(sources, [platform.value, NOARCH], specs, recursive=True)
    by_file = {(str(r.subdir), str(r.file_name)): r for records in found for r in records}
    chosen = []
    for package in kept:
        record = by_file.get((package.subdir, package.url.rsplit("/", 1)[-1]))
        sha256 = record.sha256.hex() if record is not None and record.sha256 else ""
        if record is not None and (not package.sha256 or sha256 == package.sha256):
            chosen.append(record)
    return chosen


def locked_records(
    packages: list[Package], channels: list[str], platform: Platform, *, cache: Path
) -> list[Any]:
    """The channels' records of the locked ``packages``, found by subdir and file name; a
    record whose sha256 or md5 differs from the lock is a Failure (exit 1), and so is one
    the channels no longer have."""
    import asyncio

    rattler = require_rattler()
    gateway = rattler.Gateway(cache_dir=cache / "repodata")
    names = sorted({p.name for p in packages})

    async def query() -> list[Any]:
        found = await gateway.query(
            [rattler.Channel(url) for url in channels],
            [platform.value, NOARCH],
            names,
            recursive=False,
        )
        return [record for per_channel in found for record in per_channel]

    try:
        available = asyncio.run(query())
    except Exception as error:
        raise Failure(
            f"the channels could not be read: {error_line(error)}",
            "check the channel URLs and --channel-alias (is the channel reachable?)",
        ) from None
    by_file = {(str(r.subdir), str(r.file_name)): r for r in available}
    chosen = []
    for package in packages:
        file_name = package.url.rsplit("/", 1)[-1]
        record = by_file.get((package.subdir, file_name))
        if record is None:
            raise Failure(
                f"{package.name} {package.version} ({file_name}) is not in the channels",
                "the channel changed or another channel is configured; lock again",
            )
        sha256 = record.sha256.hex() if record.sha256 else ""
        md5 = record.md5.hex() if record.md5 else ""
        for kind, locked, served in (("sha256", package.sha256, sha256), ("md5", package.md5, md5)):
            if locked and served != locked:
                raise Failure(
                    f"hash mismatch for {file_name}: the lock says "
                    f"{kind} {locked[:12]}..., the channel {served[:12]}...",
                    "the package was replaced or the lock was altered; lock again if you trust it",
                )
        chosen.append(record)
    return chosen


def fetch_verified(
    records: list[Any], locked: list[Package], workdir: Path, alias: str | None = None
) -> None:
    """Download every record's locked URL (through ``alias``: ``knowledge.channels.fetch_url``)
    into ``workdir`` and check it against the locked sha256 (md5 where the lock has no
    sha256); then point the record at the checked file, so the installer links exactly what
    was checked (rattler's installer does not check downloads against their record). A
    mismatch is a Failure (exit 1)."""
    import asyncio
    import hashlib
    import shutil
    from urllib.parse import unquote, urlsplit

    require_rattler()  # ToolMissing without py-rattler
    from rattler.networking import Client
    from rattler.package_streaming import download_to_path

    workdir.mkdir(parents=True, exist_ok=True)
    wanted = {(p.subdir, p.url.rsplit("/", 1)[-1]): p for p in locked}
    client = Client()

    async def one(record: Any) -> Path:
        package = wanted[(str(record.subdir), str(record.file_name))]
        url, dest = fetch_url(package.url, alias), workdir / str(record.file_name)
        if url.startswith("file:"):
            shutil.copyfile(unquote(urlsplit(url).path), dest)
        else:
            await download_to_path(client, url, dest)
        return dest

    async def every() -> list[Path]:
        return list(await asyncio.gather(*(one(r) for r in records)))

    try:
        files = asyncio.run(every())
    except OSError as error:
        raise Failure(f"a locked package could not be downloaded: {error}", "") from None
    except Exception as error:
        raise Failure(
            f"a locked package could not be downloaded: {error_line(error)}", ""
        ) from None
    for record, path in zip(records, files, strict=True):
        package = wanted[(str(record.subdir), str(record.file_name))]
        algorithm, expected = ("sha256", package.sha256) if package.sha256 else ("md5", package.md5)
        digest = hashlib.new(algorithm)
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != expected:
            raise Failure(
                f"hash mismatch for {record.file_name}: its {algorithm} is "
                f"{digest.hexdigest()[:12]}..., the lock says {expected[:12]}...",
                "the channel serves another file than the one locked; lock again if you trust it",
            )
        record.url = path.as_uri()


def install(records: list[Any], prefix: Path, *, cache: Path) -> None:
    """Install exactly ``records`` into ``prefix`` (fetched and checked first)."""
    import asyncio

    rattler = require_rattler()
    try:
        asyncio.run(rattler.install(records, prefix, cache_dir=cache / "pkgs", show_progress=False))
    except Exception as error:
        raise Failure(
            f"installing the locked packages failed: {error_line(error)}",
            "a download did not match its locked hash, or the channel is unreachable",
        ) from None
