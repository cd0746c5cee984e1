"""The Amazon States Language: definitions, JSONPath and JSONata data flow, intrinsic
functions, Choice rules and the interpreter that runs a state machine."""
