using Microsoft.ML.OnnxRuntime;
using RLKit.Hosting;
using RLKit.Onnx;

namespace RLKit.Snippets.Readme;

internal static class ExportingToOnnx
{
    public static void Run()
    {
        var rl = RLKit.Envs.RLKitEnvs.CreateContext(seed: 1);
        var agent = Given.CartPoleAgent();
        int rows = 16;
        float[] observations = Given.CartPoleObservations(rows);
        // begin snippet
        rl.Model.ExportOnnx(agent, "cartpole.onnx");       // or OnnxExporter.Export(agent, path, options)

        using var session = new InferenceSession("cartpole.onnx");
        using var input = OrtValue.CreateTensorValueFromMemory(observations, [rows, 4]);   // float[] rows × 4
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [OnnxNames.Observation], [input], [OnnxNames.Action]);
        ReadOnlySpan<long> actions = results[0].GetTensorDataAsSpan<long>();              // the same actions as agent.Predict
        // end snippet
        var predicted = new int[rows];
        RLKit.Training.AgentPrediction.Predict(agent, observations, predicted);
        Given.Check(actions.ToArray().Select(a => (int)a).SequenceEqual(predicted), "ONNX Runtime's actions equal agent.Predict's");
    }
}
