using RLKit.Algorithms.Hosting;
using RLKit.Hosting;

[assembly: RLKitModule<AlgorithmsModule>]

namespace RLKit.Algorithms.Hosting;

/// <summary>
/// RLKit.Algorithms' <see cref="IRLKitModule"/>: every algorithm of the package (the classic ones; the seed papers'
/// algorithms add theirs here) for <see cref="AlgorithmRegistry.CreateDefault"/>, <c>Checkpoint.LoadAgent(path)</c> and
/// <c>new RLContext(seed)</c>.
/// </summary>
internal sealed class AlgorithmsModule : IRLKitModule
{
    public void AddAlgorithms(AlgorithmRegistry registry)
    {
        ClassicAlgorithms.AddTo(registry);
        MultiTaskAlgorithms.AddTo(registry);
    }
}
