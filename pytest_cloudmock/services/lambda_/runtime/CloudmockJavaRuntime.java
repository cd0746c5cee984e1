// cloudmock's Java runtime client: loads the handler class and loops on the Runtime API.
//
// Handlers as Lambda's Java runtime takes them: `pkg.Class::method` or `pkg.Class`
// (`handleRequest`), static or on an instance made with the no-argument constructor;
// `(InputStream, OutputStream, Context)` stream handlers, and `(input[, Context])` methods
// whose input is String, Map, List, Object, a boxed number or boolean, or a bean with
// setters or public fields, filled from the event JSON. The answer goes back as JSON.
// `Context` (and its `LambdaLogger`) come from the function's own aws-lambda-java-core
// classes, implemented here by a proxy. No library beyond the JDK (11 or later).
import java.io.*;
import java.lang.reflect.*;
import java.net.URI;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.util.*;

public final class CloudmockJavaRuntime {
    static final String SENTINEL = "\u001ecloudmock-end ";

    public static void main(String[] args) throws Exception {
        String base = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Handler handler;
        try {
            handler = new Handler(System.getenv("_HANDLER"));
        } catch (Throwable e) {
            String body = errorBody(e);
            System.out.println("ERROR\t" + body);
            System.out.flush();
            post(http, base + "/init/error", body, errorType(e));
            System.exit(1);
            return;
        }
        while (true) {
            HttpResponse<byte[]> next;
            try {
                next = http.send(HttpRequest.newBuilder(URI.create(base + "/invocation/next")).GET().build(),
                                 HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                return;
            }
            if (next.statusCode() != 200) return;
            String id = next.headers().firstValue("lambda-runtime-aws-request-id").orElse("");
            long deadline = Long.parseLong(next.headers().firstValue("lambda-runtime-deadline-ms").orElse("0"));
            String arn = next.headers().firstValue("lambda-runtime-invoked-function-arn").orElse("");
            String path, body, type = null;
            try {
                body = handler.invoke(next.body(), id, deadline, arn);
                path = "/invocation/" + id + "/response";
            } catch (Throwable e) {
                Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
                body = errorBody(cause);
                type = errorType(cause);
                System.out.println(body);
                path = "/invocation/" + id + "/error";
            }
            System.out.print(SENTINEL + id + "\n");
            System.out.flush();
            try {
                post(http, base + path, body, type);
            } catch (IOException e) {
                return;
            }
        }
    }

    static void post(HttpClient http, String url, String body, String type) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (type != null) request.header("Lambda-Runtime-Function-Error-Type", type);
        http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    static String errorType(Throwable e) {
        return e.getClass().getName();
    }

    static String errorBody(Throwable e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("errorMessage", e.getMessage() == null ? e.toString() : e.getMessage());
        out.put("errorType", errorType(e));
        List<Object> trace = new ArrayList<>();
        for (StackTraceElement frame : e.getStackTrace()) trace.add(frame.toString());
        out.put("stackTrace", trace);
        return Json.write(out);
    }

    /** The handler method and how to call it. */
    static final class Handler {
        final Object target;
        final Method method;
        final Class<?> contextType;

        Handler(String spec) throws Exception {
            String[] parts = spec.split("::", 2);
            Class<?> type = Class.forName(parts[0]);
            String name = parts.length > 1 ? parts[1] : "handleRequest";
            contextType = load("com.amazonaws.services.lambda.runtime.Context");
            Method found = null;
            for (Method m : type.getMethods()) {
                if (!m.getName().equals(name) || m.isBridge() || m.getParameterCount() == 0 || m.getParameterCount() > 3) continue;
                if (found == null || m.getParameterCount() == 3 || concrete(m) && !concrete(found)) found = m;
            }
            if (found == null) throw new NoSuchMethodException("No public method named " + name + " with appropriate method signature found on class " + type.getName());
            method = found;
            target = Modifier.isStatic(found.getModifiers()) ? null : type.getDeclaredConstructor().newInstance();
        }

        static boolean concrete(Method m) {
            return m.getParameterTypes()[0] != Object.class;
        }

        static Class<?> load(String name) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                return null;
            }
        }

        String invoke(byte[] event, String id, long deadline, String arn) throws Exception {
            Object context = contextType == null ? null : Proxy.newProxyInstance(
                contextType.getClassLoader(), new Class<?>[] {contextType}, new ContextProxy(id, deadline, arn));
            Class<?>[] types = method.getParameterTypes();
            if (types.length == 3 && types[0] == InputStream.class) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                method.invoke(target, new ByteArrayInputStream(event), out, context);
                return out.toString(StandardCharsets.UTF_8);
            }
            Object input = Json.convert(Json.read(new String(event, StandardCharsets.UTF_8)), types[0]);
            Object result = types.length == 1 ? method.invoke(target, input) : method.invoke(target, input, context);
            return Json.write(Json.plain(result));
        }
    }

    /** `Context` and `LambdaLogger` for the function's own interfaces. */
    static final class ContextProxy implements InvocationHandler {
        final String id, arn;
        final long deadline;

        ContextProxy(String id, long deadline, String arn) {
            this.id = id;
            this.deadline = deadline;
            this.arn = arn;
        }

        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "getAwsRequestId": return id;
                case "getLogGroupName": return System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
                case "getLogStreamName": return System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
                case "getFunctionName": return System.getenv("AWS_LAMBDA_FUNCTION_NAME");
                case "getFunctionVersion": return System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
                case "getInvokedFunctionArn": return arn;
                case "getRemainingTimeInMillis": return (int) Math.max(0, deadline - System.currentTimeMillis());
                case "getMemoryLimitInMB": return Integer.parseInt(System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
                case "getLogger": return logger(method.getReturnType());
                case "toString": return "Context(" + id + ")";
                case "hashCode": return id.hashCode();
                case "equals": return proxy == args[0];
                default: return null;  // getIdentity, getClientContext: not given here
            }
        }

        static Object logger(Class<?> type) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                if (method.getName().equals("log") && args != null && args.length > 0) {
                    Object message = args[0];
                    System.out.println(message instanceof byte[] ? new String((byte[]) message, StandardCharsets.UTF_8) : String.valueOf(message));
                }
                return null;
            });
        }
    }

    /** A small JSON reader and writer (objects as LinkedHashMap, arrays as ArrayList). */
    static final class Json {
        final String text;
        int at;

        Json(String text) {
            this.text = text;
        }

        static Object read(String text) {
            Json json = new Json(text.trim().isEmpty() ? "null" : text);
            Object value = json.value();
            json.space();
            if (json.at != json.text.length()) throw new IllegalArgumentException("trailing characters in JSON");
            return value;
        }

        void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
        }

        Object value() {
            space();
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                at++;
                space();
                if (text.charAt(at) == '}') { at++; return map; }
                while (true) {
                    space();
                    String key = string();
                    space();
                    at++;  // ':'
                    map.put(key, value());
                    space();
                    if (text.charAt(at++) == '}') return map;
                }
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                at++;
                space();
                if (text.charAt(at) == ']') { at++; return list; }
                while (true) {
                    list.add(value());
                    space();
                    if (text.charAt(at++) == ']') return list;
                }
            }
            if (c == '"') return string();
            if (text.startsWith("true", at)) { at += 4; return Boolean.TRUE; }
            if (text.startsWith("false", at)) { at += 5; return Boolean.FALSE; }
            if (text.startsWith("null", at)) { at += 4; return null; }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
            String number = text.substring(start, at);
            if (number.isEmpty()) throw new IllegalArgumentException("unexpected character in JSON at " + start);
            if (number.matches("-?\\d+")) {
                long value = Long.parseLong(number);
                return value == (int) value ? (Object) (int) value : (Object) value;
            }
            return Double.parseDouble(number);
        }

        String string() {
            StringBuilder out = new StringBuilder();
            at++;  // '"'
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') return out.toString();
                if (c != '\\') { out.append(c); continue; }
                char e = text.charAt(at++);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u': out.append((char) Integer.parseInt(text.substring(at, at + 4), 16)); at += 4; break;
                    default: out.append(e);
                }
            }
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        static void write(Object value, StringBuilder out) {
            if (value == null) out.append("null");
            else if (value instanceof String) quote((String) value, out);
            else if (value instanceof Number || value instanceof Boolean) out.append(value);
            else if (value instanceof Map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    quote(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof Collection) {
                out.append('[');
                boolean first = true;
                for (Object item : (Collection<?>) value) {
                    if (!first) out.append(',');
                    first = false;
                    write(item, out);
                }
                out.append(']');
            } else quote(String.valueOf(value), out);
        }

        static void quote(String text, StringBuilder out) {
            out.append('"');
            for (char c : text.toCharArray()) {
                if (c == '"' || c == '\\') out.append('\\').append(c);
                else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                else out.append(c);
            }
            out.append('"');
        }

        /** A handler's answer as JSON values: beans by their getters. */
        static Object plain(Object value) throws Exception {
            if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) return value;
            if (value instanceof Map) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) out.put(String.valueOf(e.getKey()), plain(e.getValue()));
                return out;
            }
            if (value instanceof Collection) {
                List<Object> out = new ArrayList<>();
                for (Object item : (Collection<?>) value) out.add(plain(item));
                return out;
            }
            if (value.getClass().isArray()) {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < Array.getLength(value); i++) out.add(plain(Array.get(value, i)));
                return out;
            }
            Map<String, Object> bean = new LinkedHashMap<>();
            for (Method m : value.getClass().getMethods()) {
                String name = m.getName();
                if (m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class) continue;
                String property = name.startsWith("get") && name.length() > 3 ? name.substring(3)
                    : name.startsWith("is") && name.length() > 2 ? name.substring(2) : null;
                if (property != null) bean.put(Character.toLowerCase(property.charAt(0)) + property.substring(1), plain(m.invoke(value)));
            }
            for (Field f : value.getClass().getFields()) bean.putIfAbsent(f.getName(), plain(f.get(value)));
            return bean;
        }

        /** A JSON value as the handler's parameter type. */
        static Object convert(Object value, Class<?> type) throws Exception {
            if (type == String.class) return value == null || value instanceof String ? value : write(value);
            if (value == null || type == Object.class) return value;
            if (value instanceof Map ? Map.class.isAssignableFrom(type) : type.isInstance(value)) return value;
            if (value instanceof Number) {
                Number n = (Number) value;
                if (type == Integer.class || type == int.class) return n.intValue();
                if (type == Long.class || type == long.class) return n.longValue();
                if (type == Double.class || type == double.class) return n.doubleValue();
                if (type == Float.class || type == float.class) return n.floatValue();
            }
            if (value instanceof Boolean && type == boolean.class) return value;
            if (value instanceof Map) {
                Object bean = type.getDeclaredConstructor().newInstance();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    String key = String.valueOf(e.getKey());
                    String setter = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
                    boolean done = false;
                    for (Method m : type.getMethods()) {
                        if (m.getName().equals(setter) && m.getParameterCount() == 1) {
                            m.invoke(bean, convert(e.getValue(), m.getParameterTypes()[0]));
                            done = true;
                            break;
                        }
                    }
                    if (!done) {
                        try {
                            Field f = type.getField(key);
                            f.set(bean, convert(e.getValue(), f.getType()));
                        } catch (NoSuchFieldException ignored) {
                            // Lambda's serializer ignores unknown properties too
                        }
                    }
                }
                return bean;
            }
            throw new IllegalArgumentException("Cannot deserialize " + write(value) + " into " + type.getName());
        }
    }
}
