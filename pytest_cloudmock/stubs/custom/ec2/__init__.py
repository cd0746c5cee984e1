"""The EC2 core a test needs, as custom operations of the `ec2` catalog entry.

Each module serves one family of resources (`network`, `routes`, `gateways`, `interfaces`,
`security_groups`, `key_pairs`, `images`, `instances`, `instance_types`, `launch_templates`,
`volumes`, `tags`; `unsupported` refuses VM Import); `common` holds what they share (the tables,
identifiers, errors, paging, state transitions on the gateway clock and the default VPC
every account/region gets on first use) and `filters` EC2's `Filters` syntax. Resources
are engine `Record`s (fields: the item as `Describe*` answers it, `_`-keys private), so the
tagging API and the catalog's CloudFormation provider see them like any stub resource.
"""
