using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using RLKit.Hosting;
using RLKit.Serialization;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Metrics;

namespace RLKit.Fuzz;

/// <summary>
/// Writes the seed corpus from files RLKit itself writes: tiny checkpoints of every registered algorithm (one hidden
/// layer of 4 units, a few dozen training steps so optimizer state is present), plain safetensors files (with the
/// other dtypes written by hand), each algorithm's default options as JSON, and a TensorBoard event file.
/// Deterministic, so a rerun rewrites the same bytes except the event file's wall times.
/// </summary>
internal static class SeedCorpus
{
    private static readonly (string Algorithm, string Environment, string Options)[] Agents =
    [
        ("ppo", "CartPole-v1", """{"HiddenSizes":[4],"StepsPerEnvironment":16,"MinibatchSize":8,"Epochs":1,"Seed":1}"""),
        ("a2c", "CartPole-v1", """{"HiddenSizes":[4],"Seed":1}"""),
        ("reinforce", "CartPole-v1", """{"HiddenSizes":[4],"Seed":1}"""),
        ("dqn", "CartPole-v1", """{"HiddenSizes":[4],"LearningStarts":16,"BatchSize":8,"Seed":1}"""),
        ("sql", "CartPole-v1", """{"HiddenSizes":[4],"LearningStarts":16,"BatchSize":8,"Seed":1}"""),
        ("sac-discrete", "CartPole-v1", """{"HiddenSizes":[4],"LearningStarts":16,"BatchSize":8,"Seed":1}"""),
        ("sac", "Pendulum-v1", """{"HiddenSizes":[4],"LearningStarts":16,"BatchSize":8,"Seed":1}"""),
        ("td3", "Pendulum-v1", """{"HiddenSizes":[4],"LearningStarts":16,"BatchSize":8,"Seed":1}"""),
        ("ddpg", "Pendulum-v1", """{"HiddenSizes":[4],"LearningStarts":16,"BatchSize":8,"Seed":1}"""),
    ];

    public static void Write(string root)
    {
        string Folder(string target) => Directory.CreateDirectory(Path.Combine(root, target)).FullName;
        var context = new RLContext(seed: 1);

        // Checkpoints: every algorithm for LoadAgent; Load gets the discrete and continuous families' first ones.
        foreach (var (algorithm, environment, json) in Agents)
        {
            var estimator = context.Agents.CreateFromJson(algorithm, json);
            using var env = context.Environments.Make(environment);
            var agent = (ICheckpointable)estimator.Fit(env, Budget.Steps(48));
            string path = Path.Combine(Folder("checkpoint-agent"), algorithm + Checkpoint.FileExtension);
            Checkpoint.Save(agent, path, notes: new Dictionary<string, string> { ["environment"] = environment });
            if (algorithm is "ppo" or "dqn" or "sac")
                File.Copy(path, Path.Combine(Folder("checkpoint"), algorithm + Checkpoint.FileExtension), overwrite: true);
        }

        // Options: the tiny ones above, each algorithm's defaults, and the empty object.
        string optionsFolder = Folder("options");
        foreach (var factory in context.Agents.Algorithms.Factories)
        {
            string defaults = JsonSerializer.Serialize(factory.CreateOptions(1), factory.OptionsType, Checkpoint.JsonOptions);
            File.WriteAllText(Path.Combine(optionsFolder, factory.Algorithm + "-defaults.txt"), factory.Algorithm + "\n" + defaults);
        }
        foreach (var (algorithm, _, small) in Agents.Take(4))
            File.WriteAllText(Path.Combine(optionsFolder, algorithm + "-small.txt"), algorithm + "\n" + small);
        File.WriteAllText(Path.Combine(optionsFolder, "sac-empty.txt"), "sac\n{}");

        // Safetensors: what SafeTensors.Write produces, and hand-made headers for the dtypes it does not write.
        string safetensors = Folder("safetensors");
        WriteSafeTensors(Path.Combine(safetensors, "two-f32.safetensors"),
            new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, -2f, 3.5f, 0f, 1e-3f, 7f], 2, 3), ["b"] = Tensor.FromArray([0.5f, -0.5f], 2) },
            new Dictionary<string, string> { ["format"] = "pt", ["note"] = "seed" });
        WriteSafeTensors(Path.Combine(safetensors, "empty.safetensors"), new Dictionary<string, Tensor>(), null);
        WriteSafeTensors(Path.Combine(safetensors, "scalar-and-zero.safetensors"),
            new Dictionary<string, Tensor> { ["s"] = Tensor.FromArray([42f]), ["z"] = Tensor.FromArray([], 0, 3) }, null);
        WriteRaw(Path.Combine(safetensors, "f16.safetensors"), "F16", [2], [0x00, 0x3C, 0x00, 0xC0]);
        WriteRaw(Path.Combine(safetensors, "bf16.safetensors"), "BF16", [2], [0x80, 0x3F, 0x00, 0xC0]);
        var f64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 1.5);
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8), 1e300);
        WriteRaw(Path.Combine(safetensors, "f64.safetensors"), "F64", [2, 1], f64);

        // TensorBoard: a short run as TensorBoardMetricSink writes it.
        string logs = Path.Combine(Path.GetTempPath(), "rlkit-seed-events-" + Environment.ProcessId);
        using (var sink = new TensorBoardMetricSink(logs, "seed"))
        {
            sink.Write(1, new Dictionary<string, double> { ["loss/policy"] = 0.25, ["reward/mean"] = 12.0 });
            sink.Write(2, "loss/value", double.NaN);
            sink.Flush();
            File.Copy(sink.FilePath, Path.Combine(Folder("tfevents"), "run.tfevents"), overwrite: true);
        }
        Directory.Delete(logs, recursive: true);

        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            Console.WriteLine($"{new FileInfo(file).Length,7} {Path.GetRelativePath(root, file)}");
    }

    private static void WriteSafeTensors(string path, Dictionary<string, Tensor> tensors, Dictionary<string, string>? metadata)
    {
        using var file = File.Create(path);
        SafeTensors.Write(file, tensors, metadata);
    }

    private static void WriteRaw(string path, string dtype, int[] shape, byte[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(
            $$$"""{"t":{"dtype":"{{{dtype}}}","shape":[{{{string.Join(",", shape)}}}],"data_offsets":[0,{{{data.Length}}}]}}""");
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        File.WriteAllBytes(path, bytes);
    }
}
