package io.storecap.environment;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal client of PgBouncer's admin console (SHOW POOLS, SHOW STATS), speaking the Postgres
 * simple query protocol directly. pgjdbc cannot be used here: PgBouncer reports its own version as
 * server_version, so pgjdbc takes it for a pre-9.0 server and sends {@code SET extra_float_digits},
 * which the console refuses ("SET failed") whatever the connection options.
 */
public final class PgBouncerConsole implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private PgBouncerConsole(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    /** Connects and logs in (trust, cleartext or md5 authentication). */
    public static PgBouncerConsole connect(String host, int port, String user, String password, int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            PgBouncerConsole c = new PgBouncerConsole(s);
            c.login(user, password);
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void login(String user, String password) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeInt(196608); // protocol 3.0
        for (String kv : new String[]{"user", user, "database", "pgbouncer", "application_name", "storecap-telemetry"}) cstring(b, kv);
        b.writeByte(0);
        out.writeInt(body.size() + 4);
        out.write(body.toByteArray());
        out.flush();
        while (true) {
            char type = (char) in.readUnsignedByte();
            byte[] msg = new byte[length(in.readInt())];
            in.readFully(msg);
            switch (type) {
                case 'R' -> {
                    int code = ((msg[0] & 0xff) << 24) | ((msg[1] & 0xff) << 16) | ((msg[2] & 0xff) << 8) | (msg[3] & 0xff);
                    if (code == 3) password(password);
                    else if (code == 5) password("md5" + md5(concat(md5((password + user).getBytes(StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(msg, 4, 8))));
                    else if (code != 0) throw new IOException("PgBouncer asked for authentication method " + code + ", which this client does not speak");
                }
                case 'E' -> throw new IOException("PgBouncer refused the login: " + error(msg));
                case 'Z' -> { return; }
                default -> { /* ParameterStatus, BackendKeyData, notices */ }
            }
        }
    }

    private void password(String p) throws IOException {
        byte[] v = (p + "\0").getBytes(StandardCharsets.UTF_8);
        out.writeByte('p');
        out.writeInt(v.length + 4);
        out.write(v);
        out.flush();
    }

    /** Runs one console command; each row is a column name -> text value map. */
    public List<Map<String, String>> query(String sql) throws IOException {
        byte[] q = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        out.writeByte('Q');
        out.writeInt(q.length + 4);
        out.write(q);
        out.flush();
        List<String> cols = new ArrayList<>();
        List<Map<String, String>> rows = new ArrayList<>();
        IOException failure = null;
        while (true) {
            char type = (char) in.readUnsignedByte();
            byte[] msg = new byte[length(in.readInt())];
            in.readFully(msg);
            DataInputStream m = new DataInputStream(new java.io.ByteArrayInputStream(msg));
            switch (type) {
                case 'T' -> {
                    int n = m.readUnsignedShort();
                    for (int i = 0; i < n; i++) {
                        cols.add(readCString(m));
                        m.skipBytes(18);
                    }
                }
                case 'D' -> {
                    int n = m.readUnsignedShort();
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        int len = m.readInt();
                        String v = null;
                        if (len >= 0) {
                            byte[] d = new byte[len];
                            m.readFully(d);
                            v = new String(d, StandardCharsets.UTF_8);
                        }
                        row.put(i < cols.size() ? cols.get(i) : "col" + i, v);
                    }
                    rows.add(row);
                }
                case 'E' -> failure = new IOException("PgBouncer: " + error(msg));
                case 'Z' -> {
                    if (failure != null) throw failure;
                    return rows;
                }
                default -> { /* CommandComplete, notices */ }
            }
        }
    }

    /** A message body length from its header, refusing nonsense (a desynchronised stream) instead of allocating it. */
    private static int length(int declared) throws IOException {
        if (declared < 4 || declared > (16 << 20))
            throw new IOException("PgBouncer sent a message of length " + declared + ": the console stream is out of step");
        return declared - 4;
    }

    private static String error(byte[] msg) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < msg.length && msg[i] != 0) {
            char field = (char) msg[i++];
            int start = i;
            while (i < msg.length && msg[i] != 0) i++;
            if (field == 'M') sb.append(new String(msg, start, i - start, StandardCharsets.UTF_8));
            i++;
        }
        return sb.toString();
    }

    private static String readCString(DataInputStream m) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = m.read()) > 0) b.write(c);
        return b.toString(StandardCharsets.UTF_8);
    }

    private static void cstring(DataOutputStream b, String s) throws IOException {
        b.write(s.getBytes(StandardCharsets.UTF_8));
        b.writeByte(0);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Postgres' md5 password: "md5" + md5hex(md5hex(password + user) + salt), salt as raw bytes. */
    private static String md5(byte[] s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isOpen() { return !socket.isClosed(); }

    @Override
    public void close() {
        try {
            out.writeByte('X');
            out.writeInt(4);
            out.flush();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
