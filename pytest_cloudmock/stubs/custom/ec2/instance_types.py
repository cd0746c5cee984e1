"""`DescribeInstanceTypes` for a handful of real types (the figures AWS publishes for them)."""

from __future__ import annotations

from typing import Any

from .common import Ec2, ec2_operation, invalid
from .filters import field, matcher

# type -> (vCPUs, cores, threads per core, MiB, architecture, hypervisor, network performance,
#          max interfaces, IPv4 addresses per interface, free tier, burstable, GHz)
_TYPES = {
    "t2.micro": (1, 1, 1, 1024, "x86_64", "xen", "Low to Moderate", 2, 2, True, True, 2.5),
    "t3.micro": (2, 1, 2, 1024, "x86_64", "nitro", "Up to 5 Gigabit", 2, 2, True, True, 2.5),
    "t3.small": (2, 1, 2, 2048, "x86_64", "nitro", "Up to 5 Gigabit", 3, 4, False, True, 2.5),
    "t3.medium": (2, 1, 2, 4096, "x86_64", "nitro", "Up to 5 Gigabit", 3, 6, False, True, 2.5),
    "t4g.micro": (2, 2, 1, 1024, "arm64", "nitro", "Up to 5 Gigabit", 2, 2, False, True, 2.5),
    "m5.large": (2, 1, 2, 8192, "x86_64", "nitro", "Up to 10 Gigabit", 3, 10, False, False, 3.1),
    "c5.large": (2, 1, 2, 4096, "x86_64", "nitro", "Up to 10 Gigabit", 3, 10, False, False, 3.4),
    "m6g.large": (2, 2, 1, 8192, "arm64", "nitro", "Up to 10 Gigabit", 3, 10, False, False, 2.5),
    "m1.small": (1, 1, 1, 1740, "x86_64", "xen", "Low", 2, 4, False, False, None),
}
FILTERS = {
    "instance-type": field("InstanceType"), "current-generation": field("CurrentGeneration"),
    "free-tier-eligible": field("FreeTierEligible"), "hypervisor": field("Hypervisor"),
    "burstable-performance-supported": field("BurstablePerformanceSupported"),
    "processor-info.supported-architecture": field("ProcessorInfo", "SupportedArchitectures"),
    "vcpu-info.default-vcpus": field("VCpuInfo", "DefaultVCpus"), "memory-info.size-in-mib":
    field("MemoryInfo", "SizeInMiB"), "network-info.network-performance": field("NetworkInfo", "NetworkPerformance"),
}


def architecture(instance_type: str) -> str | None:
    """The type's architecture, if it is one of the types described here."""
    spec = _TYPES.get(instance_type)
    return spec[4] if spec else None


def cpu_options(instance_type: str) -> dict[str, int]:
    """An instance's `CpuOptions` (its type's default cores and threads; one core, one thread if unknown)."""
    spec = _TYPES.get(instance_type)
    return {"CoreCount": spec[1], "ThreadsPerCore": spec[2]} if spec else {"CoreCount": 1, "ThreadsPerCore": 1}


def _item(name: str) -> dict[str, Any]:
    vcpus, cores, threads, mib, arch, hypervisor, perf, enis, ips, free, burst, ghz = _TYPES[name]
    processor: dict[str, Any] = {"SupportedArchitectures": ["i386", arch] if name == "t2.micro" else [arch]}
    if ghz:
        processor["SustainedClockSpeedInGhz"] = ghz
    return {
        "InstanceType": name, "CurrentGeneration": name != "m1.small", "FreeTierEligible": free,
        "SupportedUsageClasses": ["on-demand", "spot"], "SupportedRootDeviceTypes": ["ebs"],
        "SupportedVirtualizationTypes": ["hvm"] if name != "m1.small" else ["hvm", "paravirtual"],
        "BareMetal": False, "Hypervisor": hypervisor, "ProcessorInfo": processor,
        "VCpuInfo": {"DefaultVCpus": vcpus, "DefaultCores": cores, "DefaultThreadsPerCore": threads},
        "MemoryInfo": {"SizeInMiB": mib}, "InstanceStorageSupported": False,
        "EbsInfo": {"EbsOptimizedSupport": "default" if hypervisor == "nitro" else "unsupported",
                    "EncryptionSupport": "supported", "NvmeSupport": "required" if hypervisor == "nitro"
                    else "unsupported"},
        "NetworkInfo": {"NetworkPerformance": perf, "MaximumNetworkInterfaces": enis,
                        "Ipv4AddressesPerInterface": ips, "Ipv6AddressesPerInterface": ips,
                        "Ipv6Supported": hypervisor == "nitro", "EnaSupport": "required" if hypervisor == "nitro"
                        else "unsupported", "MaximumNetworkCards": 1, "DefaultNetworkCardIndex": 0},
        "PlacementGroupInfo": {"SupportedStrategies": ["partition", "spread"] if burst else
                               ["cluster", "partition", "spread"]},
        "HibernationSupported": name != "m1.small", "BurstablePerformanceSupported": burst,
        "DedicatedHostsSupported": not burst, "AutoRecoverySupported": True,
        "SupportedBootModes": ["legacy-bios", "uefi"] if arch == "x86_64" else ["uefi"],
    }


@ec2_operation
def describe_instance_types(view: Ec2) -> dict[str, Any]:
    names = view.params.get("InstanceTypes") or []
    unknown = [n for n in names if n not in _TYPES]
    if unknown:  # AWS's wording
        raise invalid(f"The following supplied instance types do not exist: [{', '.join(unknown)}]",
                      "InvalidInstanceType")
    items = [_item(n) for n in (names or list(_TYPES))]
    test = matcher(view.params.get("Filters"), FILTERS)
    page, token = view.page([i for i in items if test(i, {})])
    return {"InstanceTypes": page, "NextToken": token}
