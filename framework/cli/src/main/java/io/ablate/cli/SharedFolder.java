package io.ablate.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Before a Slurm submission: a results folder on a node-local file system (ext4, xfs, tmpfs, …) of this
 * machine is invisible to the partition's other nodes, so their cells' done markers would never reach the
 * driver. Asked of the file system and of {@code sinfo}, so that nothing is submitted when it cannot work;
 * a partition whose only node is this machine (a one-node cluster) may use a local folder.
 */
final class SharedFolder {
  /** File-system types that live on one machine's disks or memory (as {@code FileStore.type()} names them). */
  static final Set<String> LOCAL = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "overlay", "f2fs", "vfat",
      "exfat", "zfs", "jfs", "reiserfs", "ramfs", "squashfs", "apfs", "hfs");

  private SharedFolder() {}

  /** Fails with one line when {@code studyDir} is on a local file system that other nodes of the partition cannot see. */
  static void checkForSlurm(Path studyDir, Path sbatch, String partition) {
    Path existing = studyDir.toAbsolutePath().normalize();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    String type;
    try {
      type = existing == null ? "" : Files.getFileStore(existing).type();
    } catch (IOException e) {
      return;                                       // cannot tell: the engine's own failures will say
    }
    List<String[]> nodes = nodes(sbatch, partition);
    problem(studyDir, type, host(), nodes).ifPresent(message -> {
      throw new IllegalArgumentException(message);
    });
  }

  /**
   * What is wrong, if anything: the folder's file system is local and some node is another machine.
   *
   * @param nodes each node as {@code [hostname, address]} (empty when sinfo could not be asked)
   */
  static Optional<String> problem(Path studyDir, String type, String host, List<String[]> nodes) {
    if (!LOCAL.contains(type.toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    List<String> others = nodes.stream().filter(n -> !sameMachine(n, host)).map(n -> n[0]).distinct().toList();
    if (others.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("--executor slurm: the results folder " + studyDir + " is on a local file system (" + type
        + ") of " + host + ", which other nodes of the partition (" + String.join(", ", others.stream().limit(3)
        .toList()) + (others.size() > 3 ? ", …" : "") + ") cannot see; give --results-dir on a file system every "
        + "node mounts (NFS, Lustre, GPFS, CephFS), or run with --state mlflow and a tracking server");
  }

  private static boolean sameMachine(String[] node, String host) {
    String name = node[0].toLowerCase(Locale.ROOT);
    String addr = node.length > 1 ? node[1].toLowerCase(Locale.ROOT) : "";
    String shortHost = host.toLowerCase(Locale.ROOT).split("\\.")[0];
    return name.split("\\.")[0].equals(shortHost) || name.equals("localhost") || addr.startsWith("127.")
        || addr.equals("::1") || addr.equals("localhost");
  }

  /** The partition's nodes as {@code sinfo} lists them ({@code [hostname, address]}); empty when it cannot say. */
  private static List<String[]> nodes(Path sbatch, String partition) {
    List<String> cmd = new ArrayList<>(List.of(sbatch.resolveSibling("sinfo").toString(), "-h", "-N", "-o", "%n %o"));
    if (partition != null) {
      cmd.addAll(List.of("-p", partition));
    }
    List<String[]> nodes = new ArrayList<>();
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return List.of();
      }
      for (String line : output.strip().split("\n")) {
        if (!line.isBlank()) {
          nodes.add(line.strip().split("\\s+"));
        }
      }
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
    return nodes;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
