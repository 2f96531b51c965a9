using Microsoft.ML;
using Microsoft.ML.Data;
using RLKit.MLNet;
using RLKit.Onnx;

namespace RLKit.Snippets.Readme;

internal static class ScoringWithMlNet
{
    public static void Run()
    {
        Given.CartPoleOnnxModel("cartpole.onnx");
        Given.LoggedCartPoleObservations("observations.csv", rows: 20);
        // begin snippet
        var ml = new MLContext();
        var data = ml.Data.LoadFromTextFile<Logged>("observations.csv", separatorChar: ',', hasHeader: true);
        var scored = ml.Transforms.ApplyRLKitPolicy("cartpole.onnx").Fit(data).Transform(data);   // all outputs, or name some
        var rows = ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false);
        // end snippet
        Given.Check(rows.Count() == 20 && rows.All(r => r.Action.Length == 1 && r.Action[0] is 0 or 1), "20 scored rows with one CartPole action each");
    }
}

// begin snippet
class Logged { [LoadColumn(0, 3), VectorType(4), ColumnName(OnnxNames.Observation)] public float[] Observation { get; set; } = []; }
class Scored { [ColumnName(OnnxNames.Action)] public long[] Action { get; set; } = []; [ColumnName(OnnxNames.Value)] public float[] Value { get; set; } = []; }
// end snippet
