"""Encryption at rest: the replica is a SQLCipher 4 file (AES-256, per-page HMAC) through the maintained
`sqlcipher3` binding (PyPI: sqlcipher3-wheels). The file's 256-bit key is random; it is stored beside the
file wrapped with AES-GCM under a key derived from the user's password with scrypt, so a stolen laptop
file (and its key file) shows nothing without the password, and a wrong password fails cleanly.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine

from app.db.engine import sqlite_events
from app.errors import UserError
from app.files import write_atomic

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class WrongPassword(UserError):
    def __init__(self):
        super().__init__("密码不正确,无法打开离线副本。请使用检出时登录的密码。")


def key_file(path: Path) -> Path:
    return path.with_name(path.name + ".key")


def _kek(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password.encode("utf-8"))


def create_key(path: Path, password: str) -> bytes:
    """A new random file key, written wrapped under the password; returns the raw key."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key, salt, nonce = os.urandom(32), os.urandom(16), os.urandom(12)
    wrapped = AESGCM(_kek(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)).encrypt(nonce, key, b"kedesk-replica")
    data = {"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex(),
            "nonce": nonce.hex(), "wrapped": wrapped.hex(), "cipher": "sqlcipher4"}
    write_atomic(key_file(path), json.dumps(data))  # losing it loses the replica
    return key


def unlock(path: Path, password: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        data = json.loads(key_file(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UserError(f"找不到离线副本的密钥文件:{key_file(path)}") from exc
    kek = _kek(password, bytes.fromhex(data["salt"]), data["n"], data["r"], data["p"])
    try:
        return AESGCM(kek).decrypt(bytes.fromhex(data["nonce"]), bytes.fromhex(data["wrapped"]), b"kedesk-replica")
    except InvalidTag as exc:
        raise WrongPassword() from exc


def rewrap(path: Path, old_password: str, new_password: str) -> None:
    """After a password change: the same file key, wrapped under the new password."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = unlock(path, old_password)
    salt, nonce = os.urandom(16), os.urandom(12)
    data = json.loads(key_file(path).read_text(encoding="utf-8"))
    data.update(salt=salt.hex(), nonce=nonce.hex(), wrapped=AESGCM(
        _kek(new_password, salt, data["n"], data["r"], data["p"])).encrypt(nonce, key, b"kedesk-replica").hex())
    write_atomic(key_file(path), json.dumps(data))  # losing it loses the replica


def encrypted_engine(path: Path, key: bytes) -> Engine:
    """An engine on the SQLCipher file; every connection is keyed before its first statement."""
    from sqlcipher3 import dbapi2 as sqlcipher

    hex_key = key.hex()

    def connect():
        conn = sqlcipher.connect(str(path), timeout=15, check_same_thread=False)
        conn.execute(f"PRAGMA key = \"x'{hex_key}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master")  # fails here if the key is wrong
        return conn

    engine = create_engine("sqlite://", module=sqlcipher, creator=connect)
    sqlite_events(engine, file_backed=True)
    return engine
