using RLKit.Core.Tests.Hosting;
using RLKit.Core.Tests.Training;
using RLKit.Environments;
using RLKit.Hosting;
using RLKit.Spaces;
using RLKit.Training.Checkpoints;

[assembly: RLKitModule<TestModule>]

namespace RLKit.Core.Tests.Hosting;

/// <summary>This test assembly's module, so discovery has one to find without RLKit.Algorithms or RLKit.Envs.</summary>
internal sealed class TestModule : IRLKitModule
{
    public const string Algorithm = "module-test";
    public const string Environment = "ModuleTest-v0";

    public void AddAlgorithms(AlgorithmRegistry registry) => registry.TryAdd(LinearTestAgent.Factory(Algorithm));

    public void AddEnvironments(EnvironmentCatalog catalog) =>
        catalog.Register(Environment, "A scripted environment from the test module.", _ => new ScriptedEnvironment(new Discrete(2), [5]));
}

[TestFixture]
public sealed class RLKitModuleTests
{
    [Test]
    public void The_default_registry_and_context_hold_what_the_modules_add()
    {
        var first = AlgorithmRegistry.CreateDefault();
        var second = AlgorithmRegistry.CreateDefault();
        first.TryAdd(LinearTestAgent.Factory("added-to-one"));
        var rl = new RLContext(seed: 1);
        Assert.Multiple(() =>
        {
            Assert.That(RLKitModules.Modules.Select(m => m.ToString()), Is.EqualTo(new[] { "RLKit.Core.Tests (TestModule)" }));
            Assert.That(second.Algorithms, Is.EqualTo(new[] { TestModule.Algorithm }), "each default registry is a new one");
            Assert.That(rl.Agents.Algorithms.Algorithms, Is.EqualTo(new[] { TestModule.Algorithm }));
            Assert.That(rl.Environments.Ids, Is.EqualTo(new[] { TestModule.Environment }));
        });
    }

    [Test]
    public void A_checkpoint_of_a_module_algorithm_loads_without_a_registry_and_through_a_default_context()
    {
        using var directory = new TemporaryDirectory("rlkit-modules");
        var saved = new LinearTestAgent(3, 2, new LinearTestOptions(Hidden: 5), seed: 1, TestModule.Algorithm);
        string path = directory.File("agent.rlkit");
        Checkpoint.Save(saved, path);

        var loaded = (LinearTestAgent)Checkpoint.LoadAgent(path);
        var viaContext = (LinearTestAgent)new RLContext(seed: 1).Model.Load(path);
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Algorithm, Is.EqualTo(TestModule.Algorithm));
            Assert.That(loaded.TypedOptions, Is.EqualTo(saved.TypedOptions));
            Assert.That(viaContext.Weights["policy.output.weight"].ToArray(), Is.EqualTo(saved.Weights["policy.output.weight"].ToArray()));
        });
    }

    [Test]
    public void Metadata_finds_the_attribute_and_skips_what_is_not_a_module_assembly()
    {
        using var directory = new TemporaryDirectory("rlkit-modules");
        string self = typeof(TestModule).Assembly.Location;
        string text = directory.File("notes.dll");
        File.WriteAllText(text, "not an assembly");
        string truncated = directory.File("truncated.dll");
        File.WriteAllBytes(truncated, File.ReadAllBytes(self).AsSpan(0, 600).ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(RLKitModules.ReadModuleAssemblyName(self)?.Name, Is.EqualTo("RLKit.Core.Tests"));
            Assert.That(RLKitModules.ReadModuleAssemblyName(typeof(RLKitModuleAttribute).Assembly.Location), Is.Null, "RLKit.Core declares no module");
            Assert.That(RLKitModules.ReadModuleAssemblyName(typeof(NUnit.Framework.Assert).Assembly.Location), Is.Null);
            Assert.That(RLKitModules.ReadModuleAssemblyName(text), Is.Null);
            Assert.That(RLKitModules.ReadModuleAssemblyName(truncated), Is.Null);
            Assert.That(RLKitModules.ReadModuleAssemblyName(directory.File("missing.dll")), Is.Null);
            Assert.That(RLKitModules.ReadModuleAssemblyName(directory.FullPath), Is.Null, "a directory");
        });
    }
}
