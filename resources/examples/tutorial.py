# The conversions of the tutorial "NumPy interop: memory sharing in PyTorch vs
# TensorFlow", one per statement. Run it with:  memscope run resources/examples/tutorial.py
# MemScope prints what each statement did to memory, observed from addresses.
import numpy as np
import torch
import tensorflow as tf

a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])   # NumPy's default float: float64 (claim 8)

# torch: from_numpy shares memory (claim 6), edits show both ways
t = torch.from_numpy(a)
a[0, 0] = 99
t[1, 2] = -1

# torch: torch.tensor always copies (claim 7)
t2 = torch.tensor(a)
t2[0, 1] = 0

# torch: .numpy() of a CPU tensor shares memory (claim 4)
n = t2.numpy()
n[1, 1] = 50

# torch: an explicit float32 conversion copies
t32 = torch.from_numpy(a).float()

# TensorFlow: convert_to_tensor / constant (claim 3: version and alignment dependent)
x = tf.convert_to_tensor(a)
c = tf.constant(a)

# TensorFlow: tensor.numpy() (claim 1 says it shares; the source says copy)
xn = x.numpy()
xn[0, 0] = -7

# TensorFlow: np.asarray of a CPU tensor is a zero-copy read-only view
xv = np.asarray(x)

# GPU claims (2 and 5) need a GPU; without one these steps bind nothing.
if torch.cuda.is_available():
    g = torch.from_numpy(a).cuda()      # H2D transfer
    h = g.cpu()                         # claim 5: .cpu() copies back (D2H) ...
    hn = h.numpy()                      # ... and .numpy() shares with that host copy, not with g
if tf.config.list_physical_devices("GPU"):
    with tf.device("GPU:0"):
        xg = tf.constant(a)             # H2D
    xgn = xg.numpy()                    # claim 2: a host copy; edits do not reach xg
