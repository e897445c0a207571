"""Hooks for scripts/fuzz-api.sh (loaded through SCHEMATHESIS_HOOKS).

The upload route takes a PDF's raw bytes (`PUT /api/v1/blobs/{hash}`, application/pdf),
a media type schemathesis has no serializer for: send generated bodies as bytes, the way
it sends application/octet-stream.
"""

import schemathesis

schemathesis.serializer.alias("application/pdf", "application/octet-stream")
