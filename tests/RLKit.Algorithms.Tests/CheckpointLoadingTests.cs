using System.Text.Json.Nodes;
using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Hosting;
using RLKit.Algorithms.Ppo;
using RLKit.Serialization;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests;

/// <summary>
/// Loading never hurts: a checkpoint whose metadata was edited cannot make loading allocate or compute much before it
/// fails, and a checkpoint relabelled as another algorithm does not load as that algorithm's agent.
/// </summary>
public class CheckpointLoadingTests
{
    private static readonly Box Observations = new(-1f, 1f, 3);

    private static string SavePpo(TemporaryDirectory directory, int[] hidden)
    {
        var agent = new PpoAgent(Observations, new Discrete(4), new PpoOptions { HiddenSizes = hidden }, new RandomGenerator(1));
        string path = directory.File("ppo.rlkit");
        Checkpoint.Save(agent, path);
        return path;
    }

    /// <summary>Rewrites the checkpoint's metadata JSON with <paramref name="edit"/>, keeping its tensors.</summary>
    private static void EditMetadata(string path, Action<JsonObject> edit)
    {
        var file = SafeTensors.Load(path);
        var metadata = JsonNode.Parse(file.Metadata[Checkpoint.MetadataKey])!.AsObject();
        edit(metadata);
        SafeTensors.Save(path, file.Tensors, new Dictionary<string, string> { [Checkpoint.MetadataKey] = metadata.ToJsonString() });
    }

    [Test]
    public void MetadataClaimingAHugeNetworkFailsBeforeAllocatingIt()
    {
        using var directory = new TemporaryDirectory("rlkit-hostile");
        string path = SavePpo(directory, [8]);
        EditMetadata(path, m => m["Options"]!["HiddenSizes"] = new JsonArray(3000, 3000));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadAgent(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"allocated {allocated / 1e6:F1} MB; {e!.Message}");
        Assert.That(e.Message, Does.Contain("ppo").And.Contain("stores"));
        // A [3000, 3000] trunk alone is 36 MB of weights (and its orthogonal initialisation O(3000³) work).
        Assert.That(allocated, Is.LessThan(16_000_000), "loading must not build the network the metadata claims");
    }

    [Test]
    public void ACheckpointRelabelledAsAnotherAlgorithmIsRefused()
    {
        using var directory = new TemporaryDirectory("rlkit-relabelled");
        string path = SavePpo(directory, [8]);
        EditMetadata(path, m => m["Algorithm"] = A2cEstimator.Name);

        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadAgent(path));
        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.Message, Does.Contain("PpoOptions").And.Contain("A2cOptions"));
    }

    [Test]
    public void OptionsWithKeysTheAlgorithmDoesNotHaveAreRefused()
    {
        using var directory = new TemporaryDirectory("rlkit-relabelled");
        string path = SavePpo(directory, [8]);
        // Relabelled completely: algorithm and options type name both say A2C, the options are still PPO's.
        EditMetadata(path, m =>
        {
            m["Algorithm"] = A2cEstimator.Name;
            m["OptionsType"] = typeof(A2cOptions).FullName;
        });

        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadAgent(path));
        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.Message, Does.Contain(nameof(PpoOptions.StepsPerEnvironment)), "the first key A2C's options do not have");
    }

    [Test]
    public void AnUneditedCheckpointStillLoadsWithItsWeights()
    {
        using var directory = new TemporaryDirectory("rlkit-loading");
        string path = SavePpo(directory, [16, 16]);
        var saved = Checkpoint.Load(path);
        var loaded = (PpoAgent)Checkpoint.LoadAgent(path);
        foreach (var (name, tensor) in saved.Weights)
            Assert.That(loaded.Weights[name].ToArray(), Is.EqualTo(tensor.ToArray()), name);
    }
}

/// <summary>Configuration JSON reads options as strictly as checkpoints do.</summary>
public class OptionsJsonTests
{
    [Test]
    public void AMisspeltOptionIsAnErrorNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassicAlgorithms.Ppo.ParseOptions("""{ "Gama": 0.9 }"""));
        Assert.That(e!.Message, Does.Contain("Gama"));
        Assert.That(((PpoOptions)ClassicAlgorithms.Ppo.ParseOptions("""{ "Gamma": 0.9 }""")).Gamma, Is.EqualTo(0.9f));
    }
}
