"""Small Python answers for catalog operations the engine's vocabulary does not cover.

An entry names one as `handler: module:function` on an action; the function takes
`(service: StubService, ctx: RequestContext)` and returns the output dict.
Modules here are imported only when such an operation is called.
"""
