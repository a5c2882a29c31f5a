"""Uploaded files: in one request or in parts, kept on disk under TOWNHALL_FILES_DIR, described in
the database, served at /files/{id}. A video uploaded to a hub is one of the hub's videos."""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain.errors import FieldError, UploadNotFound, ValidationFailed
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.principal import Principal
from townhall.services.hubs import owned_hub
from townhall.storage.models import MultipartUpload, StoredFile
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

MAX_FILE = 2 * 1024**3  # one request: two gigabytes, as Zoom allows
MAX_PART, MIN_PART, MAX_PARTS = 100 * 1024**2, 5 * 1024**2, 100
UPLOAD_LIFETIME = timedelta(days=7)
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Served:
    path: Path
    name: str
    content_type: str


class FileService:
    def __init__(self, db: Database, clock: Clock, directory: str) -> None:
        self._db, self._clock = db, clock
        self._dir = Path(directory)

    # -- one request ------------------------------------------------------------------------------
    def upload(self, actor: Principal, name: str | None, stream: BinaryIO, hub_id: str | None) -> StoredFile:
        file_name = _file_name(name)
        with self._db.read() as session:
            hub = _hub(session, actor, hub_id)
        file_id = new_id()
        target = self._path(file_id)
        size = _copy(stream, target, MAX_FILE)
        return self._record(actor, file_id, file_name, size, hub)

    # -- in parts ---------------------------------------------------------------------------------
    def start_multipart(self, actor: Principal, file_name: object, file_length: object, hub_id: object) -> str:
        problems: list[FieldError] = []
        length = None
        if file_length not in (None, ""):
            try:
                length = int(str(file_length))
            except ValueError:
                length = -1
            if not 0 < length <= MAX_PARTS * MAX_PART:
                problems.append(FieldError("file_length", "file_length is the file's size in bytes."))
        if problems:
            raise ValidationFailed(problems)
        now = self._clock.now()
        with self._db.write() as session:
            hub = _hub(session, actor, hub_id if isinstance(hub_id, str) else None)
            upload = MultipartUpload(id=secrets.token_urlsafe(32), account_id=actor.account_id, hub_id=hub, parts={},
                                     file_name=_file_name(file_name if isinstance(file_name, str) else None), file_length=length,
                                     created_at=now, expires_at=now + UPLOAD_LIFETIME)
            session.add(upload)
        (self._dir / "uploads" / upload.id).mkdir(parents=True, exist_ok=True)
        return upload.id

    def upload_part(self, actor: Principal, upload_id: str, part_number: object, stream: BinaryIO) -> tuple[int, str]:
        try:
            number = int(str(part_number))
        except ValueError:
            number = 0
        if not 1 <= number <= MAX_PARTS:
            raise ValidationFailed.one("part_number", f"part_number is a whole number from 1 to {MAX_PARTS}.")
        with self._db.read() as session:
            upload = self._upload(session, actor, upload_id)
        target = self._dir / "uploads" / upload.id / str(number)
        _copy(stream, target, MAX_PART)
        etag = _md5(target)
        with self._db.write() as session:
            upload = self._upload(session, actor, upload_id, lock=True)
            upload.parts = {**upload.parts, str(number): etag}
        return number, etag

    def complete_multipart(self, actor: Principal, upload_id: object, part_count: object) -> StoredFile:
        try:
            count = int(str(part_count))
        except ValueError:
            count = 0
        with self._db.read() as session:
            upload = self._upload(session, actor, upload_id if isinstance(upload_id, str) else "")
        if not 1 <= count <= MAX_PARTS:
            raise ValidationFailed.one("part_count", f"part_count is a whole number from 1 to {MAX_PARTS}.")
        parts = [self._dir / "uploads" / upload.id / str(n) for n in range(1, count + 1)]
        missing = [str(n) for n, part in enumerate(parts, 1) if str(n) not in upload.parts or not part.exists()]
        if missing:
            raise ValidationFailed.one("part_count", f"Parts not uploaded yet: {', '.join(missing)}.")
        small = [str(n) for n, part in enumerate(parts[:-1], 1) if part.stat().st_size < MIN_PART]
        if small:
            raise ValidationFailed.one("part_count", f"Every part but the last must be at least 5 MB: not {', '.join(small)}.")
        total = sum(part.stat().st_size for part in parts)
        if upload.file_length is not None and total != upload.file_length:
            raise ValidationFailed.one("part_count", f"The parts hold {total} bytes; file_length said {upload.file_length}.")
        file_id = new_id()
        target = self._path(file_id)
        with open(target, "wb") as out:
            for part in parts:
                with open(part, "rb") as source:
                    shutil.copyfileobj(source, out, CHUNK)
        stored = self._record(actor, file_id, upload.file_name, total, upload.hub_id)
        with self._db.write() as session:
            session.delete(session.get(MultipartUpload, upload.id))
        shutil.rmtree(self._dir / "uploads" / upload.id, ignore_errors=True)
        return stored

    # -- reading ------------------------------------------------------------------------------------
    def hub_videos(self, actor: Principal, hub_id: str, limit: int, after: tuple[str, str] | None) -> Page:
        with self._db.read() as session:
            hub = _hub(session, actor, hub_id)
            query = select(StoredFile).where(StoredFile.hub_id == hub, StoredFile.content_type.in_(VIDEO_TYPES.values()))
            return keyset_page(session, query, StoredFile.created_at, StoredFile.id, limit, after)

    def served(self, file_id: str) -> Served | None:
        if not is_well_formed(file_id):
            return None
        with self._db.read() as session:
            stored = session.get(StoredFile, file_id)
        path = self._path(file_id)
        return Served(path, stored.name, stored.content_type) if stored is not None and path.exists() else None

    # -- helpers ------------------------------------------------------------------------------------
    def _record(self, actor: Principal, file_id: str, name: str, size: int, hub_id: str | None) -> StoredFile:
        content_type = VIDEO_TYPES.get(Path(name).suffix.lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        stored = StoredFile(id=file_id, account_id=actor.account_id, hub_id=hub_id, name=name, content_type=content_type,
                            size=size, duration_seconds=_duration(self._path(file_id), content_type), created_at=self._clock.now())
        with self._db.write() as session:
            session.add(stored)
        return stored

    def _path(self, file_id: str) -> Path:
        self._dir.mkdir(parents=True, exist_ok=True)
        return self._dir / file_id

    def _upload(self, session: Session, actor: Principal, upload_id: str, *, lock: bool = False) -> MultipartUpload:
        upload = session.get(MultipartUpload, upload_id, with_for_update=lock) if upload_id else None
        if upload is None or upload.account_id != actor.account_id or upload.expires_at < self._clock.now():
            raise UploadNotFound()
        return upload


def _hub(session: Session, actor: Principal, hub_id: str | None) -> str | None:
    return owned_hub(session, actor, hub_id).id if hub_id else None


def _file_name(name: str | None) -> str:
    """The name to keep and serve: the last path part, printable, at most 255 characters."""
    base = Path((name or "").replace("\\", "/")).name.strip()
    base = "".join(c for c in base if c.isprintable() and c not in '"<>')
    return base[-255:] or "file"


def _copy(stream: BinaryIO, target: Path, limit: int) -> int:
    """Copy in chunks (never the whole file in memory); more than `limit` bytes is refused."""
    size = 0
    try:
        with open(target, "wb") as out:
            for chunk in _chunks(stream):
                size += len(chunk)
                if size > limit:
                    raise ValidationFailed.one("file", f"The file is larger than {limit // 1024**2} MB.")
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if size == 0:
        target.unlink(missing_ok=True)
        raise ValidationFailed.one("file", "The file is empty.")
    return size


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as source:
        for chunk in _chunks(source):
            digest.update(chunk)
    return digest.hexdigest()


def _duration(path: Path, content_type: str) -> int | None:
    """Seconds, for MP4 videos whose header says (mutagen reads it); None when unknown."""
    if content_type != "video/mp4":
        return None
    try:
        from mutagen.mp4 import MP4

        return round(MP4(path).info.length)
    except Exception:  # not a readable MP4: served all the same, with no duration
        return None
