// Classifies an image with a CapsNet exported by `capsnet export`, using ONNX Runtime alone (no libtorch).
// Usage: dotnet run -- MODEL.onnx IMAGE
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Classify MODEL.onnx IMAGE");
    return 2;
}

using var session = new InferenceSession(args[0]);
IReadOnlyDictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
string[] classes = JsonSerializer.Deserialize<string[]>(metadata["class_names"])!;
using var image = Image.Load<Rgb24>(args[1]);
NamedOnnxValue input;
if (metadata.GetValueOrDefault("preprocess") == "mnist")
{
    // The model prepares the digit itself, as `capsnet predict` does: it takes the picture's grey pixels as they
    // are, [height, width] float32, 0 black to 1 white, any size.
    var picture = new DenseTensor<float>([image.Height, image.Width]);
    for (int y = 0; y < image.Height; y++)
    {
        for (int x = 0; x < image.Width; x++)
        {
            Rgb24 p = image[x, y];
            picture[y, x] = (p.R * 0.2126f + p.G * 0.7152f + p.B * 0.0722f) / 255f;  // BT.709, as predict takes it
        }
    }
    input = NamedOnnxValue.CreateFromTensor("picture", picture);
}
else
{
    // The network alone takes [N,C,H,W] float32 pixels in [0, 1], already as its training images were.
    int[] shape = JsonSerializer.Deserialize<int[]>(metadata["input_shape"])!;  // [channels, height, width]
    int channels = shape[0], height = shape[1], width = shape[2];
    image.Mutate(x => x.Resize(width, height));
    var images = new DenseTensor<float>([1, channels, height, width]);
    for (int y = 0; y < height; y++)
    {
        for (int x = 0; x < width; x++)
        {
            Rgb24 p = image[x, y];
            if (channels == 1)
                images[0, 0, y, x] = (0.299f * p.R + 0.587f * p.G + 0.114f * p.B) / 255f;
            else
                (images[0, 0, y, x], images[0, 1, y, x], images[0, 2, y, x]) = (p.R / 255f, p.G / 255f, p.B / 255f);
        }
    }
    input = NamedOnnxValue.CreateFromTensor("images", images);
}

using var results = session.Run([input]);
float[] lengths = results.First(r => r.Name == "lengths").AsEnumerable<float>().ToArray();  // one capsule length per class
foreach (int k in Enumerable.Range(0, classes.Length).OrderByDescending(k => lengths[k]).Take(3))
    Console.WriteLine($"{classes[k],-12} {lengths[k]:F3}");
return 0;
