"""Model cache: one ServiceModel per name; registering a custom model drops only its own."""

from __future__ import annotations

from pytest_cloudmock.models import register_model, service_model, unregister_model

CUSTOM = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2026-01-01", "protocol": "json", "jsonVersion": "1.1",
        "targetPrefix": "CacheProbe_20260101", "serviceId": "Cache Probe",
        "signatureVersion": "v4", "signingName": "cacheprobe", "endpointPrefix": "cacheprobe",
    },
    "operations": {},
    "shapes": {},
}


def test_registering_a_model_keeps_every_other_cached_model():
    s3 = service_model("s3")
    register_model("cacheprobe", CUSTOM)
    try:
        assert service_model("s3") is s3
        first = service_model("cacheprobe")
        assert service_model("cacheprobe") is first
        register_model("cacheprobe", {**CUSTOM, "metadata": {**CUSTOM["metadata"], "apiVersion": "2027-01-01"}})
        assert service_model("cacheprobe").api_version == "2027-01-01"
        assert service_model("s3") is s3
    finally:
        unregister_model("cacheprobe")
    assert service_model("s3") is s3
