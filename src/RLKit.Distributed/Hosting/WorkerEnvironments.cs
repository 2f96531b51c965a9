using System.Text.Json;
using RLKit.Distributed.Wire;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Training.Checkpoints;

namespace RLKit.Distributed.Hosting;

/// <summary>
/// The environment catalog a silo's workers make their environments from (registered by
/// <see cref="RLKitSiloBuilderExtensions.AddRLKitWorkers"/>), and how options travel: as JSON, read back into the
/// options type the id was registered with.
/// </summary>
internal sealed class WorkerEnvironments(EnvironmentCatalog catalog)
{
    public EnvironmentCatalog Catalog { get; } = catalog;

    public object? Options(string id, string? json)
    {
        if (json is null) return null;
        var entry = Catalog.Environments.FirstOrDefault(e => e.Id == id)
                    ?? throw new KeyNotFoundException($"No environment '{id}' in this silo's catalog; known ids: {string.Join(", ", Catalog.Environments.Select(e => e.Id))}.");
        if (entry.OptionsType is null)
            throw new ArgumentException($"The environment '{id}' takes no options, but options were given.", nameof(json));
        return JsonSerializer.Deserialize(json, entry.OptionsType, Checkpoint.JsonOptions);
    }

    /// <summary>The <see cref="WorkerSpec.Count"/> environments of a worker as one SameStep vector environment (not reset).</summary>
    public SyncVectorEnvironment MakeVector(WorkerSpec spec)
    {
        var options = Options(spec.EnvironmentId, spec.OptionsJson);
        var envs = new List<IEnvironment>(spec.Count);
        try
        {
            for (int i = 0; i < spec.Count; i++) envs.Add(Catalog.Make(spec.EnvironmentId, options));
            return new SyncVectorEnvironment(envs, AutoresetMode.SameStep);
        }
        catch
        {
            foreach (var env in envs) env.Dispose();
            throw;
        }
    }

    /// <summary>The JSON form of an options record for <see cref="Options"/> (null for none).</summary>
    public static string? ToJson(object? options) =>
        options is null ? null : JsonSerializer.Serialize(options, options.GetType(), Checkpoint.JsonOptions);
}
