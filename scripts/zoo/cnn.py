"""The zoo's MLP and convolutional networks: mlp, resnet50 (torchvision v1.5
layout), mobilenetv2 and efficientnet_b0, each with a small variant."""
import math

from onnx import TensorProto

from common import BATCH, Graph, linear


def conv(g, x, cin, cout, k, name, stride=1, groups=1, bias=True, folded=True,
         gamma=(0.8, 1.2)):
    """Conv with He-normal weights (fan_in). With `bias` and `folded` the bias
    is a folded BatchNorm's shift (torch exports eval models that way), and
    calibration gives the output per-channel std `gamma` and a small mean."""
    pad = (k - 1) // 2
    fan_in = cin // groups * k * k
    with g.scope(name):
        w = g.param("weight", g.normal((cout, cin // groups, k, k), math.sqrt(2.0 / fan_in)))
        inputs = [x, w]
        if bias:
            inputs.append(g.param("bias", g.uniform(cout, -0.1, 0.1)))
        y = g.op("Conv", inputs, dilations=[1, 1], group=groups, kernel_shape=[k, k],
                 pads=[pad] * 4, strides=[stride, stride])
    if bias and folded:
        g.norms.append(("folded", y, w, inputs[2], g.uniform(cout, *gamma),
                        g.uniform(cout, -0.1, 0.1)))
    return y


def batch_norm(g, x, c, name, gamma=(0.8, 1.2)):
    """An unfused BatchNormalization; calibration sets its running statistics
    to what the input measures, as training leaves them."""
    with g.scope(name):
        scale = g.param("weight", g.uniform(c, *gamma))
        shift = g.param("bias", g.uniform(c, -0.1, 0.1))
        mean = g.param("running_mean", g.normal(c, 0.1))
        var = g.param("running_var", g.uniform(c, 0.7, 1.3))
        g.norms.append(("bn", x, mean, var))
        return g.op("BatchNormalization", [x, scale, shift, mean, var],
                    epsilon=1e-5, momentum=0.9)


def conv_bn(g, x, cin, cout, k, conv_name, bn_name, stride=1, groups=1, gamma=(0.8, 1.2)):
    y = conv(g, x, cin, cout, k, conv_name, stride, groups, bias=False)
    return batch_norm(g, y, cout, bn_name, gamma)


def relu6(g, x):
    """nn.ReLU6 exports as Clip with Constant min and max inputs (opset >= 11)."""
    return g.op("Clip", [x, g.const(0.0), g.const(6.0)])


def silu(g, x):
    """nn.SiLU exports as Sigmoid then Mul (there is no Swish op at opset 17)."""
    return g.op("Mul", [x, g.op("Sigmoid", [x])])


def classifier(g, x, features, classes):
    """torchvision's head: adaptive average pool (GlobalAveragePool), flatten, Linear."""
    pooled = g.op("GlobalAveragePool", [x])
    flat = g.op("Flatten", [pooled], axis=1)
    return linear(g, flat, features, classes, "fc", gemm=True)


def image_model(name, seed, size, build):
    g = Graph(name, seed)
    x = g.input("input", TensorProto.FLOAT, [BATCH, 3, size, size])
    y, classes = build(g, x)
    g.output(y, "logits", TensorProto.FLOAT, [BATCH, classes])
    return g.model()


# -- mlp -------------------------------------------------------------------------


def mlp(small=False):
    """784-512-512-10 on MNIST-shaped images: Flatten, Gemm, Relu, Gemm, Relu, Gemm."""
    hidden = 128 if small else 512
    g = Graph("mlp", 1)
    x = g.input("input", TensorProto.FLOAT, [BATCH, 1, 28, 28])
    h = g.op("Flatten", [x], axis=1)
    h = g.op("Relu", [linear(g, h, 784, hidden, "fc1", gemm=True, std=math.sqrt(2 / 784))])
    h = g.op("Relu", [linear(g, h, hidden, hidden, "fc2", gemm=True,
                             std=math.sqrt(2 / hidden))])
    y = linear(g, h, hidden, 10, "fc3", gemm=True)
    g.output(y, "logits", TensorProto.FLOAT, [BATCH, 10])
    return g.model()


# -- resnet50 ----------------------------------------------------------------------


def bottleneck(g, x, cin, width, stride, downsample):
    """torchvision Bottleneck (v1.5: the stride is on the 3x3 conv). The last
    BatchNorm's scale is small, as in trained ResNets, so that sixteen residual
    additions keep the activations bounded."""
    cout = width * 4
    h = g.op("Relu", [conv_bn(g, x, cin, width, 1, "conv1", "bn1")])
    h = g.op("Relu", [conv_bn(g, h, width, width, 3, "conv2", "bn2", stride)])
    h = conv_bn(g, h, width, cout, 1, "conv3", "bn3", gamma=(0.1, 0.3))
    if downsample:
        with g.scope("downsample"):
            x = conv_bn(g, x, cin, cout, 1, "0", "1", stride)
    return g.op("Relu", [g.op("Add", [h, x])])


def resnet50(small=False):
    blocks = [1, 1, 1, 1] if small else [3, 4, 6, 3]
    base = 16 if small else 64
    classes = 10 if small else 1000

    def build(g, x):
        h = g.op("Relu", [conv_bn(g, x, 3, base, 7, "conv1", "bn1", stride=2)])
        h = g.op("MaxPool", [h], ceil_mode=0, dilations=[1, 1], kernel_shape=[3, 3],
                 pads=[1, 1, 1, 1], strides=[2, 2])
        cin = base
        for stage, count in enumerate(blocks):
            width = base * 2 ** stage
            for i in range(count):
                with g.scope(f"layer{stage + 1}"), g.scope(str(i)):
                    stride = 2 if stage > 0 and i == 0 else 1
                    h = bottleneck(g, h, cin, width, stride, downsample=(i == 0))
                cin = width * 4
        return classifier(g, h, cin, classes), classes

    return image_model("resnet50", 2, 64 if small else 224, build)


# -- mobilenetv2 ---------------------------------------------------------------------


def make_divisible(v, divisor=8):
    """torchvision's _make_divisible: round channels to a multiple of 8, never
    more than 10% below the requested width."""
    new = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new + divisor if new < 0.9 * v else new


def inverted_residual(g, x, cin, cout, stride, expand):
    """MobileNetV2 block: 1x1 expand, 3x3 depthwise, 1x1 linear projection.
    Convolutions carry the folded BatchNorm as a bias, as torch exports eval models."""
    hidden = cin * expand
    h, i = x, 0
    with g.scope("conv"):
        if expand != 1:
            with g.scope(str(i)):
                h = relu6(g, conv(g, h, cin, hidden, 1, "0"))
            i += 1
        with g.scope(str(i)):
            h = relu6(g, conv(g, h, hidden, hidden, 3, "0", stride, groups=hidden))
        h = conv(g, h, hidden, cout, 1, str(i + 1), gamma=(0.3, 0.6))
    if stride == 1 and cin == cout:
        h = g.op("Add", [x, h])
    return h


def mobilenetv2(small=False):
    width = 0.25 if small else 1.0
    settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
    classes = 10 if small else 1000

    def build(g, x):
        cin = make_divisible(32 * width)
        last = make_divisible(1280 * max(1.0, width))
        with g.scope("features"):
            with g.scope("0"):
                h = relu6(g, conv(g, x, 3, cin, 3, "0", stride=2))
            index = 1
            for t, c, n, s in settings:
                cout = make_divisible(c * width)
                for i in range(1 if small else n):
                    with g.scope(str(index)):
                        h = inverted_residual(g, h, cin, cout, s if i == 0 else 1, t)
                    cin, index = cout, index + 1
            with g.scope(str(index)):
                h = relu6(g, conv(g, h, cin, last, 1, "0"))
        return classifier(g, h, last, classes), classes

    return image_model("mobilenetv2", 3, 64 if small else 224, build)


# -- efficientnet_b0 -----------------------------------------------------------------


def squeeze_excitation(g, x, channels, squeeze):
    """SE: GlobalAveragePool, 1x1 conv, SiLU, 1x1 conv, Sigmoid, scale the input."""
    with g.scope("se"):
        s = g.op("GlobalAveragePool", [x])
        s = silu(g, conv(g, s, channels, squeeze, 1, "fc1", folded=False))
        s = g.op("Sigmoid", [conv(g, s, squeeze, channels, 1, "fc2", folded=False)])
        return g.op("Mul", [s, x])


def mbconv(g, x, cin, cout, k, stride, expand):
    """EfficientNet MBConv: expand (Conv+BN+SiLU), depthwise (Conv with folded
    BN, SiLU), squeeze-excitation, project (Conv+BN); residual when shapes allow."""
    hidden = cin * expand
    h = x
    with g.scope("block"):
        if expand != 1:
            h = silu(g, conv_bn(g, h, cin, hidden, 1, "expand", "expand_bn"))
        h = silu(g, conv(g, h, hidden, hidden, k, "depthwise", stride, groups=hidden))
        h = squeeze_excitation(g, h, hidden, max(1, cin // 4))
        h = conv_bn(g, h, hidden, cout, 1, "project", "project_bn", gamma=(0.3, 0.6))
    if stride == 1 and cin == cout:
        h = g.op("Add", [h, x])
    return h


def efficientnet_b0(small=False):
    width = 0.25 if small else 1.0
    # expand ratio, kernel, stride, output channels, repeats
    settings = [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3),
                (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)]
    classes = 10 if small else 1000

    def build(g, x):
        cin = make_divisible(32 * width)
        with g.scope("features"):
            with g.scope("0"):
                h = silu(g, conv_bn(g, x, 3, cin, 3, "0", "1", stride=2))
            for stage, (e, k, s, c, n) in enumerate(settings):
                cout = make_divisible(c * width)
                for i in range(1 if small else n):
                    with g.scope(str(stage + 1)), g.scope(str(i)):
                        h = mbconv(g, h, cin, cout, k, s if i == 0 else 1, e)
                    cin = cout
            last = make_divisible(1280 * width)
            with g.scope(str(len(settings) + 1)):
                h = silu(g, conv_bn(g, h, cin, last, 1, "0", "1"))
        return classifier(g, h, last, classes), classes

    return image_model("efficientnet_b0", 4, 64 if small else 224, build)
