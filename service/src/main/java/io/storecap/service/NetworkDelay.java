package io.storecap.service;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Adds the network round trip of a function far from its database to every statement, as the
 * connection is held: on loopback a query takes a tenth of a millisecond, from a Vercel function to
 * Neon a few milliseconds, and how long a connection is held decides how many are needed.
 */
final class NetworkDelay {
    private NetworkDelay() {}

    /**
     * The connection itself when {@code rttMs} is 0; otherwise a connection whose round trips take
     * that much longer, times the service's time scale at the moment of each round trip.
     */
    static Connection wrap(Connection c, double rttMs, TimeScale scale) {
        if (rttMs <= 0) return c;
        return (Connection) Proxy.newProxyInstance(NetworkDelay.class.getClassLoader(), new Class<?>[]{Connection.class},
                new Handler(c, rttMs, scale));
    }

    private record Handler(Object target, double rttMs, TimeScale scale) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if (name.startsWith("execute") || name.equals("commit") || name.equals("rollback")) sleep(scale.micros(rttMs));
            Object result;
            try {
                result = m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof CallableStatement s) return proxy(s, CallableStatement.class);
            if (result instanceof PreparedStatement s) return proxy(s, PreparedStatement.class);
            if (result instanceof Statement s && !(result instanceof Connection)) return proxy(s, Statement.class);
            return result;
        }

        private Object proxy(Object s, Class<?> type) {
            return Proxy.newProxyInstance(NetworkDelay.class.getClassLoader(), new Class<?>[]{type}, new Handler(s, rttMs, scale));
        }

        private static void sleep(long micros) throws InterruptedException {
            TimeUnit.MICROSECONDS.sleep(micros);
        }
    }
}
