package cmdb.neo4j;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * Starts a real Neo4j Community DBMS, in this JVM, with the Bolt connector on loopback.
 *
 * <p>Usage: {@code Launcher HOME_DIR PORT [PAGECACHE]}. The password of the {@code neo4j} user
 * comes from the environment variable {@code CMDB_NEO4J_PASSWORD} (never from the command line,
 * where every local user can read it). With {@code CMDB_NEO4J_PARENT_PID} set, the DBMS stops
 * itself when that process is gone. Exit codes: 0 after a clean shutdown, 2 for bad
 * arguments, 3 when the port is already taken, 4 when the DBMS fails to start.
 */
public final class Launcher {
    private static final String READY_LINE = "CMDB-NEO4J-READY";

    private Launcher() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: Launcher HOME_DIR PORT [PAGECACHE]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            System.err.println("PORT must be a number, got: " + args[1]);
            System.exit(2);
            return;
        }
        String pageCache = args.length > 2 ? args[2] : "256m";
        String password = System.getenv("CMDB_NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("CMDB_NEO4J_PASSWORD must be set, at least 8 characters");
            System.exit(2);
        }
        if (!portIsFree(port)) {
            System.err.println("Address 127.0.0.1:" + port + " is already in use: "
                    + "another Neo4j or another program listens there; choose another port");
            System.exit(3);
        }

        DatabaseManagementService dbms;
        try {
            Path conf = writeConfig(home, config(port, pageCache));
            dbms = new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(conf).build();
        } catch (IOException | RuntimeException e) {
            System.err.println("Neo4j failed to start: " + e);
            e.printStackTrace();
            System.exit(4);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down Neo4j");
            dbms.shutdown();
            stopped.countDown();
        }, "cmdb-neo4j-shutdown"));

        setPassword(dbms, password);
        watchParent(System.getenv("CMDB_NEO4J_PARENT_PID"));
        System.out.println(READY_LINE + " bolt://127.0.0.1:" + port + " home=" + home);
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> config(int port, String pageCache) {
        Map<String, String> config = new HashMap<>();
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", "127.0.0.1:" + port);
        config.put("server.bolt.advertised_address", "127.0.0.1:" + port);
        config.put("dbms.security.auth_enabled", "true");
        // The routing connector would take a second port; several instances run side by side.
        config.put("dbms.routing.enabled", "false");
        config.put("server.memory.pagecache.size", pageCache);
        config.put("dbms.usage_report.enabled", "false");
        config.put("db.tx_log.preallocate", "false");
        config.put("db.tx_log.rotation.retention_policy", "2 files");
        return config;
    }

    /** The builder takes raw keys only from a file; it is rewritten at every start. */
    private static Path writeConfig(Path home, Map<String, String> config) throws IOException {
        Path conf = home.resolve("conf").resolve("neo4j.conf");
        Files.createDirectories(conf.getParent());
        StringBuilder text = new StringBuilder("# Written by cmdb.neo4j.Launcher at each start; edits are lost.\n");
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(conf, text.toString());
        return conf;
    }

    /** The product's password replaces the initial one, with no forced change on first login. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database("system");
        try (Transaction tx = system.beginTx()) {
            tx.execute("ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
            tx.commit();
        } catch (RuntimeException e) {
            // Setting the same password again is refused by some versions; that is not a fault.
            String message = String.valueOf(e.getMessage());
            if (!message.contains("same")) {
                throw e;
            }
        }
    }

    /** A test run's DBMS must not outlive the run, even when the run is killed. */
    private static void watchParent(String parentPid) {
        if (parentPid == null || parentPid.isBlank()) {
            return;
        }
        long pid = Long.parseLong(parentPid.trim());
        Thread watcher = new Thread(() -> {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.out.println("Parent process " + pid + " is gone; stopping");
            System.exit(0);
        }, "cmdb-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
