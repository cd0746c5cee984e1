from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RegisterRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RegisterResponse(_message.Message):
    __slots__ = ("service_name", "actions", "intercepts")
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    INTERCEPTS_FIELD_NUMBER: _ClassVar[int]
    service_name: str
    actions: _containers.RepeatedCompositeFieldContainer[ActionDef]
    intercepts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, service_name: _Optional[str] = ..., actions: _Optional[_Iterable[_Union[ActionDef, _Mapping]]] = ..., intercepts: _Optional[_Iterable[str]] = ...) -> None: ...

class ActionDef(_message.Message):
    __slots__ = ("name", "method", "iam_action")
    NAME_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    IAM_ACTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    method: str
    iam_action: str
    def __init__(self, name: _Optional[str] = ..., method: _Optional[str] = ..., iam_action: _Optional[str] = ...) -> None: ...

class HandleRequestInput(_message.Message):
    __slots__ = ("action", "region", "account_id", "body", "headers")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ACTION_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    action: str
    region: str
    account_id: str
    body: bytes
    headers: _containers.ScalarMap[str, str]
    def __init__(self, action: _Optional[str] = ..., region: _Optional[str] = ..., account_id: _Optional[str] = ..., body: _Optional[bytes] = ..., headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class HandleRequestOutput(_message.Message):
    __slots__ = ("status_code", "body", "headers")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    status_code: int
    body: bytes
    headers: _containers.ScalarMap[str, str]
    def __init__(self, status_code: _Optional[int] = ..., body: _Optional[bytes] = ..., headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class HealthCheckRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HealthCheckResponse(_message.Message):
    __slots__ = ("healthy",)
    HEALTHY_FIELD_NUMBER: _ClassVar[int]
    healthy: bool
    def __init__(self, healthy: bool = ...) -> None: ...

class ResetRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResetResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class InterceptedCall(_message.Message):
    __slots__ = ("service", "operation", "region", "account_id", "params", "headers", "request_id", "access_key_id")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACCESS_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    service: str
    operation: str
    region: str
    account_id: str
    params: bytes
    headers: _containers.ScalarMap[str, str]
    request_id: str
    access_key_id: str
    def __init__(self, service: _Optional[str] = ..., operation: _Optional[str] = ..., region: _Optional[str] = ..., account_id: _Optional[str] = ..., params: _Optional[bytes] = ..., headers: _Optional[_Mapping[str, str]] = ..., request_id: _Optional[str] = ..., access_key_id: _Optional[str] = ...) -> None: ...

class InterceptError(_message.Message):
    __slots__ = ("code", "message", "status_code")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    status_code: int
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ..., status_code: _Optional[int] = ...) -> None: ...

class InterceptRaw(_message.Message):
    __slots__ = ("status_code", "body", "headers")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    status_code: int
    body: bytes
    headers: _containers.ScalarMap[str, str]
    def __init__(self, status_code: _Optional[int] = ..., body: _Optional[bytes] = ..., headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class InterceptRequestInput(_message.Message):
    __slots__ = ("call",)
    CALL_FIELD_NUMBER: _ClassVar[int]
    call: InterceptedCall
    def __init__(self, call: _Optional[_Union[InterceptedCall, _Mapping]] = ...) -> None: ...

class InterceptRequestOutput(_message.Message):
    __slots__ = ("params", "result", "respond", "error")
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    RESPOND_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    params: bytes
    result: bytes
    respond: InterceptRaw
    error: InterceptError
    def __init__(self, params: _Optional[bytes] = ..., result: _Optional[bytes] = ..., respond: _Optional[_Union[InterceptRaw, _Mapping]] = ..., error: _Optional[_Union[InterceptError, _Mapping]] = ...) -> None: ...

class InterceptResponseInput(_message.Message):
    __slots__ = ("call", "result", "raw", "error")
    CALL_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    RAW_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    call: InterceptedCall
    result: bytes
    raw: InterceptRaw
    error: InterceptError
    def __init__(self, call: _Optional[_Union[InterceptedCall, _Mapping]] = ..., result: _Optional[bytes] = ..., raw: _Optional[_Union[InterceptRaw, _Mapping]] = ..., error: _Optional[_Union[InterceptError, _Mapping]] = ...) -> None: ...

class InterceptResponseOutput(_message.Message):
    __slots__ = ("result", "respond", "error")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    RESPOND_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    result: bytes
    respond: InterceptRaw
    error: InterceptError
    def __init__(self, result: _Optional[bytes] = ..., respond: _Optional[_Union[InterceptRaw, _Mapping]] = ..., error: _Optional[_Union[InterceptError, _Mapping]] = ...) -> None: ...
