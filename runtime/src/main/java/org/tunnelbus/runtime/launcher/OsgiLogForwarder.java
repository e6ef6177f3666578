package org.tunnelbus.runtime.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Prints the entries of the OSGi Log Service (Felix Log) through {@link LogPrinter}, one line each.
 *
 * <p>The launcher lives outside the framework: the Log Service API ({@code org.osgi.service.log}) is in the
 * Felix Log bundle's class space, not in ours. So the listener is a {@link Proxy} of the bundle's own
 * {@code LogListener} interface, registered on every {@code LogReaderService} through the system bundle's
 * context, and entries are read reflectively through the {@code LogEntry} interface.
 *
 * <p>Framework events that the Log Service turns into entries ({@code Events.Bundle.*}, {@code Events.Service.*})
 * are shown from WARN up only, and {@code Events.Framework} not at all (the framework's own logger,
 * {@link FrameworkLogger}, prints those errors already), unless {@code tunnelbus.log.events=true}.
 *
 * <p>FileInstall reports a configuration file it cannot read as "Failed to install artifact: PATH" with an
 * exception; those entries are rewritten into one clear line naming the file.
 */
final class OsgiLogForwarder implements ServiceListener {

    static final String READER = "org.osgi.service.log.LogReaderService";
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";

    private final BundleContext context;
    private final LogPrinter printer;
    private final boolean events;
    private final Map<ServiceReference<?>, Object[]> attached = new LinkedHashMap<>();

    OsgiLogForwarder(BundleContext context, LogPrinter printer, boolean events) {
        this.context = context;
        this.printer = printer;
        this.events = events;
    }

    void open() {
        try {
            context.addServiceListener(this, "(objectClass=" + READER + ")");
            ServiceReference<?>[] refs = context.getAllServiceReferences(READER, null);
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    attach(ref);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.REGISTERED) {
            attach(event.getServiceReference());
        } else if (event.getType() == ServiceEvent.UNREGISTERING) {
            detach(event.getServiceReference());
        }
    }

    private synchronized void attach(ServiceReference<?> ref) {
        if (attached.containsKey(ref)) {
            return;
        }
        Object reader = context.getService(ref);
        if (reader == null) {
            return;
        }
        try {
            Class<?> readerType = findInterface(reader.getClass(), READER);
            Method add = readerType.getMethod("addLogListener", readerType.getClassLoader().loadClass("org.osgi.service.log.LogListener"));
            Class<?> listenerType = add.getParameterTypes()[0];
            Class<?> entryType = listenerType.getMethod("logged", listenerType.getClassLoader().loadClass("org.osgi.service.log.LogEntry"))
                    .getParameterTypes()[0];
            EntryReader entries = new EntryReader(entryType);
            Object listener = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType},
                    new Handler(entries));
            add.invoke(reader, listener);
            attached.put(ref, new Object[] {reader, listener, readerType});
        } catch (ReflectiveOperationException | RuntimeException e) {
            context.ungetService(ref);
            printer.log(System.currentTimeMillis(), LogPrinter.Level.WARN, "tunnelbus.launcher",
                    "cannot print the OSGi log: " + LogPrinter.describe(e), null);
        }
    }

    private synchronized void detach(ServiceReference<?> ref) {
        Object[] a = attached.remove(ref);
        if (a == null) {
            return;
        }
        try {
            Class<?> readerType = (Class<?>) a[2];
            Method remove = readerType.getMethod("removeLogListener", readerType.getClassLoader().loadClass("org.osgi.service.log.LogListener"));
            remove.invoke(a[0], a[1]);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the reader is going away anyway
        }
        try {
            context.ungetService(ref);
        } catch (IllegalStateException e) {
            // framework stopping
        }
    }

    private static Class<?> findInterface(Class<?> type, String name) throws ClassNotFoundException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(name)) {
                    return i;
                }
            }
        }
        throw new ClassNotFoundException(name + " is not implemented by " + type.getName());
    }

    /** Reads a LogEntry through its interface's methods. */
    private static final class EntryReader {
        final Method getTime, getBundle, getMessage, getException, getLevel, getLogLevel, getLoggerName;

        EntryReader(Class<?> entryType) {
            getTime = method(entryType, "getTime");
            getBundle = method(entryType, "getBundle");
            getMessage = method(entryType, "getMessage");
            getException = method(entryType, "getException");
            getLevel = method(entryType, "getLevel");
            getLogLevel = method(entryType, "getLogLevel"); // Log Service 1.4
            getLoggerName = method(entryType, "getLoggerName"); // Log Service 1.4
        }

        private static Method method(Class<?> type, String name) {
            try {
                return type.getMethod(name);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }

        Object get(Method m, Object entry) {
            if (m == null) {
                return null;
            }
            try {
                return m.invoke(entry);
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    }

    private final class Handler implements InvocationHandler {
        private final EntryReader entries;

        Handler(EntryReader entries) {
            this.entries = entries;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "logged":
                    try {
                        print(args[0]);
                    } catch (RuntimeException e) {
                        // never throw into the log service's delivery thread
                    }
                    return null;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "tunnelbus launcher log printer";
                default:
                    return null;
            }
        }

        private void print(Object entry) {
            LogPrinter.Level level = level(entry);
            String loggerName = (String) entries.get(entries.getLoggerName, entry);
            if (!events && loggerName != null && loggerName.startsWith("Events.")
                    && (level.ordinal() > LogPrinter.Level.WARN.ordinal() || loggerName.startsWith("Events.Framework"))) {
                // framework errors and warnings are printed by the framework's own logger already
                return;
            }
            if (!printer.enabled(level)) {
                return;
            }
            Bundle bundle = (Bundle) entries.get(entries.getBundle, entry);
            String bsn = bundle == null ? null : bundle.getSymbolicName();
            String message = (String) entries.get(entries.getMessage, entry);
            Throwable t = (Throwable) entries.get(entries.getException, entry);
            Object time = entries.get(entries.getTime, entry);
            long when = time instanceof Long ? (Long) time : System.currentTimeMillis();

            if (FILEINSTALL.equals(bsn) && message != null) {
                String rewritten = configFileProblem(message, t);
                if (rewritten != null) {
                    printer.log(when, LogPrinter.Level.ERROR, bsn, rewritten, null);
                    return;
                }
            }
            printer.log(when, level, source(bsn, loggerName), message, t);
        }

        private LogPrinter.Level level(Object entry) {
            Object logLevel = entries.get(entries.getLogLevel, entry);
            if (logLevel != null) {
                String name = logLevel.toString();
                if (name.equals("AUDIT")) {
                    return LogPrinter.Level.ERROR;
                }
                return LogPrinter.parseLevel(name, LogPrinter.Level.INFO);
            }
            Object legacy = entries.get(entries.getLevel, entry);
            int l = legacy instanceof Integer ? (Integer) legacy : 3;
            return l <= 1 ? LogPrinter.Level.ERROR : l == 2 ? LogPrinter.Level.WARN : l == 3 ? LogPrinter.Level.INFO : LogPrinter.Level.DEBUG;
        }
    }

    /** "bsn", or "bsn/logger" when the logger's name says more than the bundle's. */
    static String source(String bsn, String loggerName) {
        String b = bsn == null ? "unknown-bundle" : bsn;
        if (loggerName == null || loggerName.isEmpty() || loggerName.equals(b) || loggerName.equals("ROOT") || loggerName.startsWith("LogService")) {
            return b;
        }
        if (loggerName.startsWith("Events.")) {
            return b + "/" + loggerName.substring(0, loggerName.indexOf('.', 7) < 0 ? loggerName.length() : loggerName.indexOf('.', 7));
        }
        return b + "/" + loggerName;
    }

    /**
     * FileInstall's "Failed to install artifact: PATH" / "Failed to update artifact PATH" for a configuration
     * file, as one line naming the file and the reason; null for anything else.
     */
    static String configFileProblem(String message, Throwable t) {
        String path;
        boolean update;
        if (message.startsWith("Failed to install artifact: ")) {
            path = message.substring("Failed to install artifact: ".length()).trim();
            update = false;
        } else if (message.startsWith("Failed to update artifact ")) {
            path = message.substring("Failed to update artifact ".length()).trim();
            update = true;
        } else {
            return null;
        }
        if (!(path.endsWith(".cfg") || path.endsWith(".config"))) {
            return null;
        }
        Throwable root = t;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root == null ? "unknown reason"
                : root.getMessage() != null ? LogPrinter.oneLine(root.getMessage()) + " (" + root.getClass().getSimpleName() + ")"
                : root.getClass().getName();
        return "Cannot read configuration file " + path + ": " + why
                + (update ? "; the configuration it held before stays in force until the file is fixed"
                          : "; it is ignored until the file changes");
    }
}
