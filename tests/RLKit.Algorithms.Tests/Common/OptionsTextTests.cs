using System.Reflection;
using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Distral;
using RLKit.Algorithms.Dnc;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Qmp;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;
using RLKit.Envs;
using RLKit.Envs.Grid;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Common;

/// <summary>Options records print their lists as <c>[64, 64]</c>, not as the compiler's <c>&lt;&gt;z__ReadOnlyArray</c> (issue 15).</summary>
[TestFixture]
public sealed class OptionsTextTests
{
    private static IEnumerable<TestCaseData> Defaults()
    {
        yield return new TestCaseData(new PpoOptions(), "HiddenSizes = [64, 64]").SetArgDisplayNames(nameof(PpoOptions));
        yield return new TestCaseData(new A2cOptions(), "HiddenSizes = [64, 64]").SetArgDisplayNames(nameof(A2cOptions));
        yield return new TestCaseData(new ReinforceOptions(), "HiddenSizes = [64, 64]").SetArgDisplayNames(nameof(ReinforceOptions));
        yield return new TestCaseData(new DqnOptions(), "HiddenSizes = [64, 64]").SetArgDisplayNames(nameof(DqnOptions));
        yield return new TestCaseData(new SoftQOptions(), "HiddenSizes = [64, 64]").SetArgDisplayNames(nameof(SoftQOptions));
        yield return new TestCaseData(new SacOptions(), "HiddenSizes = [256, 256]").SetArgDisplayNames(nameof(SacOptions));
        yield return new TestCaseData(new DiscreteSacOptions(), "HiddenSizes = [256, 256]").SetArgDisplayNames(nameof(DiscreteSacOptions));
        yield return new TestCaseData(new Td3Options(), "HiddenSizes = [256, 256]").SetArgDisplayNames(nameof(Td3Options));
        yield return new TestCaseData(new DdpgOptions(), "HiddenSizes = [256, 256]").SetArgDisplayNames(nameof(DdpgOptions));
        yield return new TestCaseData(new MultiTaskSacOptions(), "HiddenSizes = [").SetArgDisplayNames(nameof(MultiTaskSacOptions));
        yield return new TestCaseData(new QmpOptions(), "HiddenSizes = [").SetArgDisplayNames(nameof(QmpOptions));
        yield return new TestCaseData(new DncOptions(), "HiddenSizes = [").SetArgDisplayNames(nameof(DncOptions));
        yield return new TestCaseData(new DistralOptions(), "HiddenSizes = [64, 128, 64]").SetArgDisplayNames(nameof(DistralOptions));
    }

    [TestCaseSource(nameof(Defaults))]
    public void Default_lists_print_their_values(object options, string expected)
    {
        string text = options.ToString()!;
        Assert.That(text, Does.Contain(expected));
        Assert.That(text, Does.Not.Contain("<>z__").And.Not.Contain("System.Collections"));
    }

    [Test]
    public void Lists_set_in_code_or_read_from_json_print_their_values_too()
    {
        var rl = new RLContext(seed: 1);
        var fromJson = (PpoOptions)rl.Agents.CreateFromJson("ppo", """{ "hidden_sizes": [32, 16] }""").Options;
        var weights = new QmpOptions { DomainWeights = [[1f, 0f], [0.5f, 0.5f]] };
        Assert.Multiple(() =>
        {
            Assert.That((new SacOptions() with { HiddenSizes = [128] }).ToString(), Does.Contain("HiddenSizes = [128]"));
            Assert.That(fromJson.ToString(), Does.Contain("HiddenSizes = [32, 16]"));
            Assert.That(weights.ToString(), Does.Contain("DomainWeights = [[1, 0], [0.5, 0.5]]"));
            Assert.That(new DigLavaGridOptions { SpecialSkills = [] }.ToString(), Does.Contain("SpecialSkills = []"));
        });
    }

    [Test]
    public void Records_with_the_same_lists_are_equal()
    {
        Assert.Multiple(() =>
        {
            var first = new PpoOptions();
            Assert.That(first, Is.EqualTo(new PpoOptions()), "two default records (their lists used to be two arrays compared by reference)");
            Assert.That(new PpoOptions { HiddenSizes = [32, 16] }, Is.EqualTo(new PpoOptions { HiddenSizes = new List<int> { 32, 16 } }));
            Assert.That(new PpoOptions { HiddenSizes = [32, 16] }, Is.Not.EqualTo(new PpoOptions { HiddenSizes = [16, 32] }));
        });
    }

    [Test]
    public void A_list_passed_in_is_copied_so_changing_it_later_does_not_change_the_options()
    {
        var sizes = new List<int> { 8, 8 };
        var options = new DqnOptions { HiddenSizes = sizes };
        sizes[0] = 99;
        Assert.That(options.HiddenSizes, Is.EqualTo(new[] { 8, 8 }));
    }

    /// <summary>
    /// Every public options record of the packages, with every settable list option given a value: no compiler type
    /// names in its text. Catches a list option added later without <c>OptionList</c>.
    /// </summary>
    [Test]
    public void No_options_record_prints_a_collection_type_name()
    {
        var assemblies = new[] { typeof(PpoOptions).Assembly, typeof(StandardEnvironments).Assembly, typeof(Budget).Assembly };
        var records = assemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && t.Name.EndsWith("Options", StringComparison.Ordinal)
                        && t.GetMethod("<Clone>$") is not null && t.GetConstructor(Type.EmptyTypes) is not null)
            .ToList();
        Assert.That(records, Has.Count.GreaterThan(20), "the scan finds the options records");
        var failures = new List<string>();
        foreach (var type in records)
        {
            var options = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                if (SampleList(property.PropertyType) is { } sample) property.SetValue(options, sample);
            }
            string text = options.ToString()!;
            if (text.Contains("<>z__", StringComparison.Ordinal) || text.Contains("System.Collections", StringComparison.Ordinal) || text.Contains("`1", StringComparison.Ordinal))
                failures.Add(text);
        }
        Assert.That(failures, Is.Empty);
    }

    /// <summary>A two-item list for IReadOnlyList&lt;int&gt; and IReadOnlyList&lt;float&gt; options, else null.</summary>
    private static object? SampleList(Type type)
    {
        if (type == typeof(IReadOnlyList<int>)) return new List<int> { 3, 4 };
        if (type == typeof(IReadOnlyList<float>)) return new List<float> { 0.5f, 1f };
        if (type == typeof(IReadOnlyList<IReadOnlyList<float>>)) return new List<IReadOnlyList<float>> { new List<float> { 1f } };
        return null;
    }
}
