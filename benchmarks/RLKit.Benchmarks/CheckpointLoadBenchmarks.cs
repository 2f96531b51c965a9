using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using RLKit.Algorithms.Ppo;
using RLKit.Serialization;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Benchmarks;

/// <summary>
/// Loading a large PPO checkpoint (hidden [1024, 2048, 2048], 3 → 4 actions, about 13 M floats): reading the file
/// (<see cref="Checkpoint.Load"/>) against rebuilding the agent from it (<see cref="Checkpoint.LoadAgent"/>), which
/// must cost at most twice the read now that rebuilding skips initialisation; and a small file whose metadata was
/// edited to claim hidden sizes [3000, 3000], which must fail fast instead of building that network.
/// </summary>
[MemoryDiagnoser]
public class CheckpointLoadBenchmarks
{
    private string _directory = null!;
    private string _path = null!;
    private string _hostilePath = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"rlkit-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "large-ppo" + Checkpoint.FileExtension);
        var agent = new PpoAgent(new Box(-1f, 1f, 3), new Discrete(4), new PpoOptions { HiddenSizes = [1024, 2048, 2048] }, new RandomGenerator(1));
        Checkpoint.Save(agent, _path);

        _hostilePath = Path.Combine(_directory, "hostile" + Checkpoint.FileExtension);
        Checkpoint.Save(new PpoAgent(new Box(-1f, 1f, 3), new Discrete(4), new PpoOptions { HiddenSizes = [8] }, new RandomGenerator(1)), _hostilePath);
        var file = SafeTensors.Load(_hostilePath);
        var metadata = JsonNode.Parse(file.Metadata[Checkpoint.MetadataKey])!.AsObject();
        metadata["Options"]!["HiddenSizes"] = new JsonArray(3000, 3000);
        SafeTensors.Save(_hostilePath, file.Tensors, new Dictionary<string, string> { [Checkpoint.MetadataKey] = metadata.ToJsonString() });
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    /// <summary>Read the file: tensors and metadata.</summary>
    [Benchmark(Baseline = true)]
    public CheckpointData Load() => Checkpoint.Load(_path);

    /// <summary>Read the file and rebuild the PPO agent with its weights.</summary>
    [Benchmark]
    public IAgent LoadAgent() => Checkpoint.LoadAgent(_path);

    /// <summary>Try to load the 13 KB file that claims a [3000, 3000] network: the refusal's cost.</summary>
    [Benchmark]
    public string LoadHostile()
    {
        try
        {
            Checkpoint.LoadAgent(_hostilePath);
            throw new InvalidOperationException("the hostile checkpoint loaded");
        }
        catch (CheckpointMismatchException e)
        {
            return e.Message;
        }
    }
}
