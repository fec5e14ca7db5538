package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The check before a Slurm submission that the results folder can be shared: a local file system is refused
 * when the partition has nodes other than this machine, and accepted on a one-node cluster or a network one.
 */
class SharedFolderTest {
  private static final Path DIR = Path.of("/scratch/results/heads");

  @Test
  void aLocalFolderWithOtherNodesIsRefusedInOneLine() {
    Optional<String> problem = SharedFolder.problem(DIR, "ext4", "login1.cluster",
        List.<String[]>of(new String[] {"node01", "10.0.0.11"}, new String[] {"node02", "10.0.0.12"}));
    assertTrue(problem.isPresent());
    assertEquals(1, problem.get().lines().count());
    assertTrue(problem.get().contains("is on a local file system (ext4) of login1.cluster, which other nodes of the "
        + "partition (node01, node02) cannot see"), problem.get());
    assertTrue(problem.get().contains("--state mlflow"), problem.get());
  }

  @Test
  void aSharedFileSystemOrAOneNodeClusterIsAccepted() {
    List<String[]> others = List.<String[]>of(new String[] {"node01", "10.0.0.11"});
    assertEquals(Optional.empty(), SharedFolder.problem(DIR, "nfs4", "login1", others));
    assertEquals(Optional.empty(), SharedFolder.problem(DIR, "lustre", "login1", others));
    assertEquals(Optional.empty(), SharedFolder.problem(DIR, "ext4", "login1.cluster",
        List.<String[]>of(new String[] {"login1", "10.0.0.1"})), "the only node is this machine");
    assertEquals(Optional.empty(), SharedFolder.problem(DIR, "xfs", "box",
        List.<String[]>of(new String[] {"ablate-node", "127.0.0.1"})), "a node on the loopback address is this machine");
    assertEquals(Optional.empty(), SharedFolder.problem(DIR, "ext4", "box", List.of()), "sinfo could not say");
  }
}
