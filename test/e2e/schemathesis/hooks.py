"""
Schemathesis hooks for test/e2e/openapi.e2e.spec.ts: the request bodies it cannot make by itself.

`POST /clients/{pseudonym}/file` takes a client's file package as bytes, `application/pdf` or
`application/zip`; the service checks that the first bytes fit the type. These strategies make
bodies that do (random bytes after the signature), so the positive phases reach the service's
own rules instead of stopping at "serialization not possible".
"""
from hypothesis import strategies as st

import schemathesis

schemathesis.openapi.media_type("application/pdf", st.binary(max_size=2048).map(lambda tail: b"%PDF-1.7\n" + tail))
schemathesis.openapi.media_type("application/zip", st.binary(max_size=2048).map(lambda tail: b"PK\x03\x04" + tail))
