using RLKit.Cli.Configuration;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Cli.Commands;

/// <summary>The library pieces every command uses, with their "not found" errors turned into usage errors.</summary>
internal static class Library
{
    /// <summary>A context over the standard environments and every deployed algorithm, seeded with <paramref name="seed"/>.</summary>
    public static RLContext Context(ulong seed) => RLKitEnvs.CreateContext(seed);

    /// <summary>The algorithm's factory.</summary>
    /// <exception cref="ConfigurationException">If no algorithm has that name; the message lists the known ones.</exception>
    public static IAgentEstimatorFactory Algorithm(RLContext rl, string name) =>
        rl.Agents.Algorithms.TryGet(name, out var factory)
            ? factory
            : throw new ConfigurationException($"--algo: no algorithm '{name}'. Known algorithms: {string.Join(", ", rl.Agents.Algorithms.Algorithms)}.");

    /// <summary>Checks that <paramref name="id"/> names a single environment of the catalog.</summary>
    /// <exception cref="ConfigurationException">If it does not (a task set is named as such); the message lists the ids.</exception>
    public static void RequireEnvironment(RLContext rl, string id, string option = "--env")
    {
        var catalog = rl.Environments.Catalog;
        if (catalog.Contains(id)) return;
        if (catalog.TaskSets.Any(t => t.Id == id))
            throw new ConfigurationException($"{option}: '{id}' is a task set, which multi-task estimators fit in code; this command takes one environment. Run 'rlkit envs' for the list.");
        throw new ConfigurationException($"{option}: no environment '{id}'. Known ids: {string.Join(", ", rl.Environments.Ids)}.");
    }

    /// <summary>Loads the model at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigurationException">If there is no file there.</exception>
    public static IAgent LoadModel(RLContext rl, string path)
    {
        RequireFile(path, "--model");
        return rl.Model.Load(path);
    }

    /// <summary>Checks that the file a command reads exists.</summary>
    /// <exception cref="ConfigurationException">If it does not.</exception>
    public static void RequireFile(string path, string option)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"{option}: no file '{Path.GetFullPath(path)}'.");
    }

    /// <summary>Checks the directory of an output file exists, creating it if needed.</summary>
    /// <exception cref="ConfigurationException">If the path is a directory.</exception>
    public static string PrepareOutput(string path, string option)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ConfigurationException($"{option}: '{full}' is a directory; give a file path.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }
}
