using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.Td3;

namespace RLKit.Algorithms.Tests.Common;

/// <summary>Every replay-based algorithm refuses a batch larger than its replay buffer, naming both options.</summary>
public class BatchSizeOptionTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new Action(() => new SacOptions { BufferSize = 100, BatchSize = 101 }.Validate()), "SacOptions");
        yield return new TestCaseData(new Action(() => new DiscreteSacOptions { BufferSize = 100, BatchSize = 101 }.Validate()), "DiscreteSacOptions");
        yield return new TestCaseData(new Action(() => new Td3Options { BufferSize = 100, BatchSize = 101 }.Validate()), "Td3Options");
        yield return new TestCaseData(new Action(() => new DdpgOptions { BufferSize = 100, BatchSize = 101 }.Validate()), "DdpgOptions");
    }

    [TestCaseSource(nameof(Cases))]
    public void ABatchLargerThanTheBufferIsRefused(Action validate, string record)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => validate())!;
        Assert.That(error.ParamName, Is.EqualTo("BatchSize"));
        Assert.That(error.Message, Does.Contain($"{record}.BatchSize must be ≤ BufferSize (100); got 101."));
    }

    [Test]
    public void ABatchAsLargeAsTheBufferIsAllowed()
    {
        Assert.DoesNotThrow(() => new SacOptions { BufferSize = 100, BatchSize = 100 }.Validate());
        Assert.DoesNotThrow(() => new DiscreteSacOptions { BufferSize = 100, BatchSize = 100 }.Validate());
        Assert.DoesNotThrow(() => new Td3Options { BufferSize = 100, BatchSize = 100 }.Validate());
        Assert.DoesNotThrow(() => new DdpgOptions { BufferSize = 100, BatchSize = 100 }.Validate());
    }
}
