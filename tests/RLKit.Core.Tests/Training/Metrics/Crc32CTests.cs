using System.Text;
using RLKit.Tensors;
using RLKit.Training.Metrics;

namespace RLKit.Core.Tests.Training.Metrics;

[TestFixture]
public sealed class Crc32CTests
{
    private static readonly byte[] CheckString = Encoding.ASCII.GetBytes("123456789");

    public static IEnumerable<TestCaseData> Implementations()
    {
        yield return new TestCaseData((Func<byte[], uint>)(d => Crc32C.ComputeSoftware(d))).SetArgDisplayNames("software");
        yield return new TestCaseData((Func<byte[], uint>)(d =>
        {
            if (!Crc32C.IsHardwareAccelerated)
                Assert.Ignore("SSE4.2 is not available on this machine.");
            return Crc32C.ComputeHardware(d);
        })).SetArgDisplayNames("hardware");
        yield return new TestCaseData((Func<byte[], uint>)(d => Crc32C.Compute(d))).SetArgDisplayNames("dispatch");
    }

    [TestCaseSource(nameof(Implementations))]
    public void Check_string_gives_the_catalogued_crc32c(Func<byte[], uint> crc) =>
        Assert.That(crc(CheckString), Is.EqualTo(0xE3069283u));

    [TestCaseSource(nameof(Implementations))]
    public void Thirty_two_zero_bytes_give_the_rfc3720_value(Func<byte[], uint> crc) =>
        Assert.That(crc(new byte[32]), Is.EqualTo(0x8A9136AAu));

    [TestCaseSource(nameof(Implementations))]
    public void Thirty_two_0xff_bytes_give_the_rfc3720_value(Func<byte[], uint> crc) =>
        Assert.That(crc(Enumerable.Repeat((byte)0xFF, 32).ToArray()), Is.EqualTo(0x62A8AB43u));

    [TestCaseSource(nameof(Implementations))]
    public void Empty_input_gives_zero(Func<byte[], uint> crc) =>
        Assert.That(crc([]), Is.Zero);

    [Test]
    public void Hardware_and_software_agree_on_every_length_and_alignment()
    {
        if (!Crc32C.IsHardwareAccelerated)
            Assert.Ignore("SSE4.2 is not available on this machine.");
        var rng = new RandomGenerator(7);
        var data = new byte[300];
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)rng.NextInt(256);
        for (int start = 0; start < 9; start++)
        {
            for (int length = 0; start + length <= data.Length; length += 1 + length / 8)
            {
                var slice = data.AsSpan(start, length);
                Assert.That(Crc32C.ComputeHardware(slice), Is.EqualTo(Crc32C.ComputeSoftware(slice)), $"start {start}, length {length}");
            }
        }
    }

    [Test]
    public void A_changed_byte_changes_the_crc()
    {
        var data = (byte[])CheckString.Clone();
        uint original = Crc32C.Compute(data);
        data[4] ^= 0x01;
        Assert.That(Crc32C.Compute(data), Is.Not.EqualTo(original));
    }

    [Test]
    public void Mask_follows_the_tensorflow_formula_and_unmask_inverts_it()
    {
        uint crc = 0xE3069283u;
        uint expected = unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);
        Assert.That(Crc32C.Mask(crc), Is.EqualTo(expected));
        foreach (uint value in new[] { 0u, 1u, 0xFFFF_FFFFu, 0x8000_0000u, crc, 0x1234_5678u })
            Assert.That(Crc32C.Unmask(Crc32C.Mask(value)), Is.EqualTo(value));
    }
}
