"""emlint: lint and fix the headers of a mail message before it is sent.

A binding of libemlint (the C library of the emlint tool) with ctypes; standard library only.

    import emlint

    raw = msg.as_bytes()                  # what your app is about to send
    for f in emlint.check(raw):           # findings: rule, severity, line, column, message...
        print(f)
    fixed = emlint.fix(raw)               # the same octets, with the fixable defects repaired

Send `fixed` as it is, e.g. smtplib.SMTP.sendmail(from_addr, to_addrs, fixed): do not parse it
into a Message again (send_message() with policy.SMTP encodes long msg-ids again). See
python/README.md.

Options are keyword arguments, as on the command line: select, ignore, config_file,
msgid_domain, msgid_domain_max, unsafe_fixes, template_profile, smtputf8.

libemlint is loaded from $EMLINT_LIBRARY when set, else found by ctypes.util.find_library.
"""

import ctypes
import ctypes.util
import os
from typing import List, NamedTuple

__all__ = ["Finding", "FixResult", "Rule", "EmlintError", "check", "fix", "fix_result", "rules",
           "version"]

# The emlint.h this binding is written against. Its EmlintOptions is API 1's: libemlint reads
# no more of it than API 1 has (emlint_options_init(), called by name, fills API 1's part).
API_VERSION = 2
SEVERITIES = ("info", "warning", "error")


class EmlintError(Exception):
    """Wrong options (an unknown rule, a bad domain...) or fixes that do not converge."""


class Finding(NamedTuple):
    rule: str           # the rule id, e.g. "msgid-encoded-word"
    severity: str       # "info", "warning" or "error"
    line: int           # 1-based
    column: int         # 1-based, in octets
    end_line: int
    end_column: int     # exclusive
    start: int          # the octets [start, end) of the message
    end: int
    message: str
    fixable: bool       # fix() with these options repairs it

    def __str__(self):
        return f"{self.line}:{self.column}: {self.severity}: {self.message} [{self.rule}]"


class Rule(NamedTuple):
    id: str             # e.g. "msgid-encoded-word"
    severity: str       # the default: "info", "warning" or "error"
    fixable: str        # "none", "fix" (fix() repairs it) or "unsafe" (with unsafe_fixes)
    summary: str
    rfc: str            # the sections it enforces
    doc: str            # what it does, why it is bad, an example, the fix
    transcript: bool    # a rule of recorded IMAP sessions, not of messages


class FixResult(NamedTuple):
    data: bytes                 # the repaired octets (the input when nothing was fixed)
    fixed: List[Finding]        # what was repaired
    remaining: List[Finding]    # the findings of the repaired message


# The C structs of emlint.h, field for field.
class _Options(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_size_t),
        ("select", ctypes.c_char_p),
        ("ignore", ctypes.c_char_p),
        ("config_file", ctypes.c_char_p),
        ("msgid_domain_max", ctypes.c_uint),
        ("msgid_domain", ctypes.c_char_p),
        ("unsafe_fixes", ctypes.c_int),
        ("template_profile", ctypes.c_int),
        ("smtputf8", ctypes.c_int),
    ]


class _Finding(ctypes.Structure):
    _fields_ = [
        ("rule", ctypes.c_char_p),
        ("severity", ctypes.c_int),
        ("start", ctypes.c_size_t),
        ("end", ctypes.c_size_t),
        ("line", ctypes.c_uint),
        ("column", ctypes.c_uint),
        ("end_line", ctypes.c_uint),
        ("end_column", ctypes.c_uint),
        ("message", ctypes.c_char_p),
        ("fixable", ctypes.c_int),
    ]


class _RuleInfo(ctypes.Structure):
    _fields_ = [
        ("id", ctypes.c_char_p),
        ("severity", ctypes.c_int),
        ("fixable", ctypes.c_int),
        ("summary", ctypes.c_char_p),
        ("rfc", ctypes.c_char_p),
        ("doc", ctypes.c_char_p),
        ("model", ctypes.c_int),
        ("index", ctypes.c_size_t),
    ]


def _load():
    path = os.environ.get("EMLINT_LIBRARY") or ctypes.util.find_library("emlint")
    if path is None:
        raise ImportError("libemlint not found: install emlint or set EMLINT_LIBRARY")
    lib = ctypes.CDLL(path)
    result_p = ctypes.c_void_p
    error_p = ctypes.POINTER(ctypes.c_void_p)
    signatures = {
        "emlint_version": ([], ctypes.c_char_p),
        "emlint_options_init": ([ctypes.POINTER(_Options)], None),
        "emlint_check": ([ctypes.POINTER(_Options), ctypes.c_char_p, ctypes.c_size_t, error_p],
                         result_p),
        "emlint_fix": ([ctypes.POINTER(_Options), ctypes.c_char_p, ctypes.c_size_t, error_p],
                       result_p),
        "emlint_result_count": ([result_p], ctypes.c_size_t),
        "emlint_result_finding": ([result_p, ctypes.c_size_t], ctypes.POINTER(_Finding)),
        "emlint_result_fixed_count": ([result_p], ctypes.c_size_t),
        "emlint_result_fixed": ([result_p, ctypes.c_size_t], ctypes.POINTER(_Finding)),
        "emlint_result_data": ([result_p, ctypes.POINTER(ctypes.c_size_t)], ctypes.c_void_p),
        "emlint_result_free": ([result_p], None),
        "emlint_free": ([ctypes.c_void_p], None),
        "emlint_rule_count": ([], ctypes.c_size_t),
        "emlint_rule_info": ([ctypes.c_size_t], ctypes.POINTER(_RuleInfo)),
        "emlint_fixable_name": ([ctypes.c_int], ctypes.c_char_p),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes, function.restype = argtypes, restype
    return lib


_lib = _load()


def version() -> str:
    """The version of the libemlint in use, e.g. "0.1.0"."""
    return _lib.emlint_version().decode()


def rules() -> List[Rule]:
    """Every rule of the registry, in id order (what `emlint rules` lists)."""
    out = []
    for i in range(_lib.emlint_rule_count()):
        r = _lib.emlint_rule_info(i).contents
        out.append(Rule(r.id.decode(), SEVERITIES[r.severity],
                        _lib.emlint_fixable_name(r.fixable).decode(), r.summary.decode(),
                        r.rfc.decode(), r.doc.decode(), r.model == 1))
    return out


def _options(select=None, ignore=None, config_file=None, msgid_domain=None,
             msgid_domain_max=0, unsafe_fixes=False, template_profile=False, smtputf8=False):
    def text(value):
        if value is None:
            return None
        if not isinstance(value, str):        # a list of rule ids
            value = ",".join(value)
        return os.fsencode(value)

    options = _Options()
    _lib.emlint_options_init(ctypes.byref(options))
    options.select, options.ignore = text(select), text(ignore)
    options.config_file, options.msgid_domain = text(config_file), text(msgid_domain)
    options.msgid_domain_max = msgid_domain_max
    options.unsafe_fixes, options.template_profile = int(unsafe_fixes), int(template_profile)
    options.smtputf8 = int(smtputf8)
    return options


def _finding(pointer) -> Finding:
    f = pointer.contents
    return Finding(f.rule.decode(), SEVERITIES[f.severity], f.line, f.column, f.end_line,
                   f.end_column, f.start, f.end, f.message.decode("utf-8", "replace"),
                   bool(f.fixable))


def _run(function, data: bytes, options):
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("emlint takes the message as bytes (e.g. msg.as_bytes())")
    data = bytes(data)
    error = ctypes.c_void_p()
    result = function(ctypes.byref(options), data, len(data), ctypes.byref(error))
    if not result:
        message = ctypes.string_at(error.value).decode("utf-8", "replace")
        _lib.emlint_free(error)
        raise EmlintError(message)
    return result


def check(data: bytes, **options) -> List[Finding]:
    """The findings of the message @data (its octets), sorted by line, column and rule."""
    result = _run(_lib.emlint_check, data, _options(**options))
    try:
        return [_finding(_lib.emlint_result_finding(result, i))
                for i in range(_lib.emlint_result_count(result))]
    finally:
        _lib.emlint_result_free(result)


def fix_result(data: bytes, **options) -> FixResult:
    """Fixes @data until nothing changes: the repaired octets, what was fixed, what remains."""
    result = _run(_lib.emlint_fix, data, _options(**options))
    try:
        length = ctypes.c_size_t()
        address = _lib.emlint_result_data(result, ctypes.byref(length))
        return FixResult(
            ctypes.string_at(address, length.value),
            [_finding(_lib.emlint_result_fixed(result, i))
             for i in range(_lib.emlint_result_fixed_count(result))],
            [_finding(_lib.emlint_result_finding(result, i))
             for i in range(_lib.emlint_result_count(result))])
    finally:
        _lib.emlint_result_free(result)


def fix(data: bytes, **options) -> bytes:
    """The message @data with its fixable defects repaired; every other octet unchanged."""
    return fix_result(data, **options).data
