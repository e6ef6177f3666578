package org.tunnelbus.openvpn.internal.server;

import java.lang.reflect.Proxy;
import java.util.Map;

/** An instance of a DS configuration annotation: given values by property name, else the defaults. */
final class Annotations {
    private Annotations() {
    }

    @SuppressWarnings("unchecked")
    static <A> A of(Class<A> type, Map<String, ?> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("annotationType")) {
                return type;
            }
            if (name.equals("toString")) {
                return "@" + type.getSimpleName() + values;
            }
            if (name.equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            if (name.equals("equals")) {
                return proxy == args[0];
            }
            String property = name.replace("__", "\0").replace('_', '.').replace('\0', '_');
            Object v = values.get(property);
            return v != null ? v : method.getDefaultValue();
        });
    }
}
