"""The papers the lab's claims come from, for the report's bibliography page.

A claim names its source in a short form ("Glorot & Bengio 2010, ..."); :func:`cite`
finds the full reference by the first author's surname and the year, so the claims
table can link each source to its entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actlab.lab.result import LECTURE_NOTES


@dataclass(frozen=True)
class Reference:
    key: str  # anchor on the bibliography page
    authors: str
    year: int
    title: str
    venue: str
    surname: str  # the first author's surname, as claims write it


REFERENCES: tuple[Reference, ...] = (
    Reference("clevert2016", "D.-A. Clevert, T. Unterthiner, S. Hochreiter", 2016,
              "Fast and accurate deep network learning by exponential linear units (ELUs)",
              "ICLR 2016; arXiv:1511.07289", "Clevert"),
    Reference("glorot2010", "X. Glorot, Y. Bengio", 2010,
              "Understanding the difficulty of training deep feedforward neural networks",
              "AISTATS 2010, PMLR 9:249–256", "Glorot"),
    Reference("greydanus2020", "S. Greydanus", 2020,
              "Scaling down deep learning (the MNIST-1D data set)", "arXiv:2011.14439",
              "Greydanus"),
    Reference("he2015", "K. He, X. Zhang, S. Ren, J. Sun", 2015,
              "Delving deep into rectifiers: surpassing human-level performance on "
              "ImageNet classification", "ICCV 2015; arXiv:1502.01852", "He"),
    Reference("hendrycks2016", "D. Hendrycks, K. Gimpel", 2016,
              "Gaussian error linear units (GELUs)", "arXiv:1606.08415", "Hendrycks"),
    Reference("klambauer2017", "G. Klambauer, T. Unterthiner, A. Mayr, S. Hochreiter", 2017,
              "Self-normalizing neural networks", "NeurIPS 2017; arXiv:1706.02515",
              "Klambauer"),
    Reference("krizhevsky2012", "A. Krizhevsky, I. Sutskever, G. E. Hinton", 2012,
              "ImageNet classification with deep convolutional neural networks",
              "NeurIPS 2012 (Fig. 1: ReLU vs tanh on CIFAR-10)", "Krizhevsky"),
    Reference("lecun1998", "Y. LeCun, L. Bottou, G. B. Orr, K.-R. Müller", 1998,
              "Efficient BackProp", "Neural Networks: Tricks of the Trade, Springer LNCS 1524",
              "LeCun"),
    Reference("lu2019", "L. Lu, Y. Shin, Y. Su, G. E. Karniadakis", 2019,
              "Dying ReLU and initialization: theory and numerical examples",
              "arXiv:1903.06733; Commun. Comput. Phys. 28 (2020) 1671–1706. The dying-ReLU "
              "experiment's published born-dead values and bounds are the figure "
              "'probability vs # hidden layers' (widths 2, 3, 4, 5, 10; 1–20 hidden layers) "
              "and the theorem for one input as the authors presented them in the talk "
              "'Collapse of deep and narrow ReLU neural nets' (ICERM Scientific Machine "
              "Learning workshop, 2019), slides 16–17", "Lu"),
    Reference("minsky1969", "M. Minsky, S. Papert", 1969, "Perceptrons", "MIT Press",
              "Minsky"),
    Reference("misra2019", "D. Misra", 2019,
              "Mish: a self regularized non-monotonic activation function",
              "BMVC 2020; arXiv:1908.08681", "Misra"),
    Reference("novikoff1962", "A. B. J. Novikoff", 1962, "On convergence proofs on perceptrons",
              "Symposium on the Mathematical Theory of Automata, vol. 12, 615–622",
              "Novikoff"),
    Reference("press2007", "W. H. Press, S. A. Teukolsky, W. T. Vetterling, B. P. Flannery",
              2007, "Numerical Recipes: the art of scientific computing (3rd ed.), §5.7 "
              "numerical derivatives", "Cambridge University Press", "Press"),
    Reference("ramachandran2017", "P. Ramachandran, B. Zoph, Q. V. Le", 2017,
              "Searching for activation functions (Swish)", "arXiv:1710.05941",
              "Ramachandran"),
    Reference("yarotsky2017", "D. Yarotsky", 2017,
              "Error bounds for approximations with deep ReLU networks",
              "Neural Networks 94:103–114", "Yarotsky"),
)

# "He" and "Lu" are short: match them as whole words, not inside "Hendrycks" or "Lucas"
_WORD = {r.key: re.compile(rf"\b{re.escape(r.surname)}\b") for r in REFERENCES}


def cite(source: str) -> Reference | None:
    """The reference a claim's source names (surname and year), or None."""
    for reference in REFERENCES:
        if _WORD[reference.key].search(source) and str(reference.year) in source:
            return reference
    return None


def is_lecture_notes(source: str) -> bool:
    return source.startswith(LECTURE_NOTES)
