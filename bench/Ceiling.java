import java.io.FileReader;
import java.io.Reader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The database's own limit for what a benchmark measures, on the same database in the same run, so that a
 * benchmark can print Herald's share of it (this machine's speed varies from day to day; the ratio does not).
 *
 * <pre>
 *   java -cp 'LIB/*' bench/Ceiling.java messages JDBC_URL USER PASSWORD N
 *       N message rows inserted and then all updated to SENT, set-based on the server (one INSERT ... SELECT from
 *       a generated series, one UPDATE), into the real messages table with its indexes and partitions, under a
 *       campaign id no campaign has; the rows are deleted afterwards.
 *   java -cp 'LIB/*' bench/Ceiling.java copy JDBC_URL USER PASSWORD CSV
 *       the import CSV bulk-loaded by the database's own loader into a table with unique email and phone:
 *       COPY (PostgreSQL), LOAD DATA LOCAL INFILE (MariaDB/MySQL), CSVREAD (H2).
 * </pre>
 * Prints one JSON object: {@code {"rows":..,"seconds":..,"per_sec":..}}. Only the statements are timed.
 */
public class Ceiling {
    private static final long CAMPAIGN = 1L << 40;

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: Ceiling messages|copy JDBC_URL USER PASSWORD N|CSV");
            System.exit(2);
        }
        String url = args[1];
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            url += (url.contains("?") ? "&" : "?") + "allowLocalInfile=true";
        }
        try (Connection c = DriverManager.getConnection(url, args[2], args[3])) {
            String product = c.getMetaData().getDatabaseProductName();
            long rows;
            double seconds;
            if (args[0].equals("messages")) {
                rows = Long.parseLong(args[4]);
                seconds = messages(c, product, rows);
            } else {
                long[] loaded = new long[1];
                seconds = copy(c, product, args[4], loaded);
                rows = loaded[0];
            }
            System.out.printf(Locale.ROOT, "{\"rows\":%d,\"seconds\":%.2f,\"per_sec\":%.0f}%n", rows, seconds, rows / seconds);
        }
    }

    private static double messages(Connection c, String product, long n) throws SQLException {
        String series = switch (product) {
            case "PostgreSQL" -> "SELECT " + CAMPAIGN + ", g, 'QUEUED', 0, 0, 0 FROM generate_series(1, " + n + ") g";
            case "H2" -> "SELECT " + CAMPAIGN + ", X, 'QUEUED', 0, 0, 0 FROM SYSTEM_RANGE(1, " + n + ")";
            default -> "SELECT " + CAMPAIGN + ", seq, 'QUEUED', 0, 0, 0 FROM seq_1_to_" + n; // MariaDB's Sequence engine
        };
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM messages WHERE campaign_id = " + CAMPAIGN);
            long start = System.nanoTime();
            s.executeUpdate("INSERT INTO messages (campaign_id, recipient_id, status, attempts, created_at, updated_at) " + series);
            s.executeUpdate("UPDATE messages SET status = 'SENT', attempts = 1, sent_at = 1, latency_ms = 1, updated_at = 1"
                    + " WHERE campaign_id = " + CAMPAIGN);
            double seconds = (System.nanoTime() - start) / 1e9;
            s.executeUpdate("DELETE FROM messages WHERE campaign_id = " + CAMPAIGN);
            return seconds;
        }
    }

    private static double copy(Connection c, String product, String csv, long[] rows) throws Exception {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE IF EXISTS ceiling_recipients");
            s.executeUpdate("CREATE TABLE ceiling_recipients (name VARCHAR(200), email VARCHAR(320), phone VARCHAR(32),"
                    + " tags VARCHAR(2000), city VARCHAR(100))");
            s.executeUpdate("CREATE UNIQUE INDEX ceiling_recipients_email ON ceiling_recipients (email)");
            s.executeUpdate("CREATE UNIQUE INDEX ceiling_recipients_phone ON ceiling_recipients (phone)");
            String path = new java.io.File(csv).getAbsolutePath();
            long start = System.nanoTime();
            switch (product) {
                case "PostgreSQL" -> {
                    try (Reader in = new FileReader(path)) {
                        rows[0] = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
                                .copyIn("COPY ceiling_recipients FROM STDIN WITH (FORMAT csv, HEADER true)", in);
                    }
                }
                case "H2" -> rows[0] = s.executeUpdate("INSERT INTO ceiling_recipients SELECT * FROM CSVREAD('" + path + "')");
                default -> rows[0] = s.executeUpdate("LOAD DATA LOCAL INFILE '" + path + "' INTO TABLE ceiling_recipients"
                        + " FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\\n' IGNORE 1 LINES");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            s.executeUpdate("DROP TABLE ceiling_recipients");
            return seconds;
        }
    }
}
