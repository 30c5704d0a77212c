"""Word and name pools for the synthetic dataset. Plain data; generate.py draws from it with
a seeded random generator, measure.py picks its search terms from it."""

from __future__ import annotations

import random

# arXiv categories (code, name); the prefix decides the area whose words a work uses.
TOPICS = [
    ("cs.AI", "Artificial Intelligence"),
    ("cs.AR", "Hardware Architecture"),
    ("cs.CC", "Computational Complexity"),
    ("cs.CE", "Computational Engineering"),
    ("cs.CG", "Computational Geometry"),
    ("cs.CL", "Computation and Language"),
    ("cs.CR", "Cryptography and Security"),
    ("cs.CV", "Computer Vision and Pattern Recognition"),
    ("cs.CY", "Computers and Society"),
    ("cs.DB", "Databases"),
    ("cs.DC", "Distributed, Parallel, and Cluster Computing"),
    ("cs.DL", "Digital Libraries"),
    ("cs.DM", "Discrete Mathematics"),
    ("cs.DS", "Data Structures and Algorithms"),
    ("cs.ET", "Emerging Technologies"),
    ("cs.FL", "Formal Languages and Automata Theory"),
    ("cs.GR", "Graphics"),
    ("cs.GT", "Computer Science and Game Theory"),
    ("cs.HC", "Human-Computer Interaction"),
    ("cs.IR", "Information Retrieval"),
    ("cs.IT", "Information Theory"),
    ("cs.LG", "Machine Learning"),
    ("cs.LO", "Logic in Computer Science"),
    ("cs.MA", "Multiagent Systems"),
    ("cs.MM", "Multimedia"),
    ("cs.MS", "Mathematical Software"),
    ("cs.NA", "Numerical Analysis (cs)"),
    ("cs.NE", "Neural and Evolutionary Computing"),
    ("cs.NI", "Networking and Internet Architecture"),
    ("cs.OS", "Operating Systems"),
    ("cs.PF", "Performance"),
    ("cs.PL", "Programming Languages"),
    ("cs.RO", "Robotics"),
    ("cs.SC", "Symbolic Computation"),
    ("cs.SD", "Sound"),
    ("cs.SE", "Software Engineering"),
    ("cs.SI", "Social and Information Networks"),
    ("cs.SY", "Systems and Control"),
    ("math.AC", "Commutative Algebra"),
    ("math.AG", "Algebraic Geometry"),
    ("math.AP", "Analysis of PDEs"),
    ("math.AT", "Algebraic Topology"),
    ("math.CA", "Classical Analysis and ODEs"),
    ("math.CO", "Combinatorics"),
    ("math.CT", "Category Theory"),
    ("math.CV", "Complex Variables"),
    ("math.DG", "Differential Geometry"),
    ("math.DS", "Dynamical Systems"),
    ("math.FA", "Functional Analysis"),
    ("math.GM", "General Mathematics"),
    ("math.GN", "General Topology"),
    ("math.GR", "Group Theory"),
    ("math.GT", "Geometric Topology"),
    ("math.HO", "History and Overview"),
    ("math.KT", "K-Theory and Homology"),
    ("math.LO", "Logic"),
    ("math.MG", "Metric Geometry"),
    ("math.NA", "Numerical Analysis"),
    ("math.NT", "Number Theory"),
    ("math.OA", "Operator Algebras"),
    ("math.OC", "Optimization and Control"),
    ("math.PR", "Probability"),
    ("math.QA", "Quantum Algebra"),
    ("math.RA", "Rings and Algebras"),
    ("math.RT", "Representation Theory"),
    ("math.SG", "Symplectic Geometry"),
    ("math.SP", "Spectral Theory"),
    ("math.ST", "Statistics Theory"),
    ("astro-ph.CO", "Cosmology and Nongalactic Astrophysics"),
    ("astro-ph.EP", "Earth and Planetary Astrophysics"),
    ("astro-ph.GA", "Astrophysics of Galaxies"),
    ("astro-ph.HE", "High Energy Astrophysical Phenomena"),
    ("astro-ph.IM", "Instrumentation and Methods for Astrophysics"),
    ("astro-ph.SR", "Solar and Stellar Astrophysics"),
    ("cond-mat.dis-nn", "Disordered Systems and Neural Networks"),
    ("cond-mat.mes-hall", "Mesoscale and Nanoscale Physics"),
    ("cond-mat.mtrl-sci", "Materials Science"),
    ("cond-mat.other", "Other Condensed Matter"),
    ("cond-mat.quant-gas", "Quantum Gases"),
    ("cond-mat.soft", "Soft Condensed Matter"),
    ("cond-mat.stat-mech", "Statistical Mechanics"),
    ("cond-mat.str-el", "Strongly Correlated Electrons"),
    ("cond-mat.supr-con", "Superconductivity"),
    ("gr-qc", "General Relativity and Quantum Cosmology"),
    ("hep-ex", "High Energy Physics - Experiment"),
    ("hep-lat", "High Energy Physics - Lattice"),
    ("hep-ph", "High Energy Physics - Phenomenology"),
    ("hep-th", "High Energy Physics - Theory"),
    ("math-ph", "Mathematical Physics"),
    ("nlin.AO", "Adaptation and Self-Organizing Systems"),
    ("nlin.CD", "Chaotic Dynamics"),
    ("nlin.CG", "Cellular Automata and Lattice Gases"),
    ("nlin.PS", "Pattern Formation and Solitons"),
    ("nlin.SI", "Exactly Solvable and Integrable Systems"),
    ("nucl-ex", "Nuclear Experiment"),
    ("nucl-th", "Nuclear Theory"),
    ("physics.acc-ph", "Accelerator Physics"),
    ("physics.ao-ph", "Atmospheric and Oceanic Physics"),
    ("physics.app-ph", "Applied Physics"),
    ("physics.atm-clus", "Atomic and Molecular Clusters"),
    ("physics.atom-ph", "Atomic Physics"),
    ("physics.bio-ph", "Biological Physics"),
    ("physics.chem-ph", "Chemical Physics"),
    ("physics.class-ph", "Classical Physics"),
    ("physics.comp-ph", "Computational Physics"),
    ("physics.data-an", "Data Analysis, Statistics and Probability"),
    ("physics.ed-ph", "Physics Education"),
    ("physics.flu-dyn", "Fluid Dynamics"),
    ("physics.gen-ph", "General Physics"),
    ("physics.geo-ph", "Geophysics"),
    ("physics.hist-ph", "History and Philosophy of Physics"),
    ("physics.ins-det", "Instrumentation and Detectors"),
    ("physics.med-ph", "Medical Physics"),
    ("physics.optics", "Optics"),
    ("physics.plasm-ph", "Plasma Physics"),
    ("physics.pop-ph", "Popular Physics"),
    ("physics.soc-ph", "Physics and Society"),
    ("physics.space-ph", "Space Physics"),
    ("quant-ph", "Quantum Physics"),
    ("q-bio.BM", "Biomolecules"),
    ("q-bio.CB", "Cell Behavior"),
    ("q-bio.GN", "Genomics"),
    ("q-bio.MN", "Molecular Networks"),
    ("q-bio.NC", "Neurons and Cognition"),
    ("q-bio.OT", "Other Quantitative Biology"),
    ("q-bio.PE", "Populations and Evolution"),
    ("q-bio.QM", "Quantitative Methods"),
    ("q-bio.SC", "Subcellular Processes"),
    ("q-bio.TO", "Tissues and Organs"),
    ("q-fin.CP", "Computational Finance"),
    ("q-fin.EC", "Economics (q-fin)"),
    ("q-fin.GN", "General Finance"),
    ("q-fin.MF", "Mathematical Finance"),
    ("q-fin.PM", "Portfolio Management"),
    ("q-fin.PR", "Pricing of Securities"),
    ("q-fin.RM", "Risk Management"),
    ("q-fin.ST", "Statistical Finance"),
    ("q-fin.TR", "Trading and Market Microstructure"),
    ("stat.AP", "Statistics Applications"),
    ("stat.CO", "Statistics Computation"),
    ("stat.ME", "Statistics Methodology"),
    ("stat.ML", "Machine Learning (stat)"),
    ("stat.OT", "Other Statistics"),
    ("stat.TH", "Statistics Theory (stat)"),
    ("eess.AS", "Audio and Speech Processing"),
    ("eess.IV", "Image and Video Processing"),
    ("eess.SP", "Signal Processing"),
    ("eess.SY", "Systems and Control (eess)"),
    ("econ.EM", "Econometrics"),
    ("econ.GN", "General Economics"),
    ("econ.TH", "Theoretical Economics"),
]

# Topics that get the most works (arXiv's busiest), before a Zipf tail over the rest.
POPULAR_TOPICS = ["cs.LG", "cs.CV", "cs.CL", "cs.AI", "stat.ML", "quant-ph", "hep-ph"]


def topic_area(code: str) -> str:
    """The word area a topic's works draw from."""
    if code in {"cs.LG", "cs.AI", "cs.CV", "cs.CL", "cs.NE", "cs.IR", "stat.ML", "eess.IV"}:
        return "ml"
    prefix = code.split(".")[0]
    return {
        "cs": "systems",
        "math": "math",
        "astro-ph": "astro",
        "gr-qc": "astro",
        "q-bio": "bio",
        "q-fin": "econ",
        "econ": "econ",
        "stat": "econ",
        "eess": "systems",
    }.get(prefix, "physics")


# Very common words: every abstract has several; these make the worst-case searches.
COMMON = [
    ("model", 60),
    ("data", 45),
    ("network", 55),
    ("analysis", 45),
    ("method", 40),
    ("system", 38),
    ("approach", 30),
    ("framework", 26),
    ("performance", 24),
    ("results", 22),
    ("algorithm", 20),
    ("problem", 18),
    ("structure", 14),
    ("design", 12),
    ("theory", 11),
    ("process", 10),
    ("function", 9),
    ("estimation", 8),
    ("simulation", 8),
    ("prediction", 7),
    ("representation", 7),
    ("evaluation", 6),
    ("dynamics", 6),
    ("measurement", 5),
    ("optimization", 5),
    ("inference", 5),
    ("control", 4),
    ("architecture", 4),
    ("distribution", 4),
    ("signal", 3),
]

ADJECTIVES = [
    ("efficient", 30),
    ("novel", 28),
    ("robust", 20),
    ("scalable", 16),
    ("accurate", 14),
    ("large", 13),
    ("fast", 10),
    ("adaptive", 10),
    ("general", 9),
    ("simple", 8),
    ("unified", 7),
    ("probabilistic", 6),
    ("nonlinear", 6),
    ("stochastic", 5),
    ("distributed", 5),
    ("hierarchical", 4),
    ("sparse", 4),
    ("interpretable", 3),
    ("lightweight", 3),
    ("provable", 2),
    ("asymptotic", 2),
    ("minimax", 1),
]

GENERAL = [
    ("benchmark", 10),
    ("experiments", 12),
    ("baseline", 6),
    ("accuracy", 8),
    ("complexity", 6),
    ("uncertainty", 5),
    ("robustness", 4),
    ("generalization", 4),
    ("stability", 5),
    ("convergence", 5),
    ("efficiency", 6),
    ("scalability", 3),
    ("limitations", 3),
    ("trade-off", 2),
    ("survey", 2),
    ("dataset", 6),
    ("implementation", 4),
    ("applications", 7),
    ("observations", 4),
    ("constraints", 3),
]

# Area words: a work draws most of its content words from its topic's area.
AREA_WORDS = {
    "ml": [
        ("learning", 120),
        ("neural", 60),
        ("deep", 45),
        ("training", 35),
        ("transformer", 25),
        ("language", 24),
        ("graph", 20),
        ("reinforcement", 14),
        ("attention", 14),
        ("classification", 13),
        ("generative", 12),
        ("diffusion", 10),
        ("embedding", 10),
        ("segmentation", 9),
        ("federated", 7),
        ("contrastive", 6),
        ("adversarial", 6),
        ("supervision", 6),
        ("retrieval", 6),
        ("recognition", 8),
        ("agent", 6),
        ("policy", 6),
        ("detection", 8),
        ("image", 12),
        ("video", 6),
        ("speech", 5),
        ("translation", 4),
        ("privacy", 4),
        ("fine-tuning", 4),
        ("distillation", 3),
    ],
    "systems": [
        ("distributed", 20),
        ("scheduling", 12),
        ("cache", 10),
        ("memory", 14),
        ("compiler", 8),
        ("storage", 10),
        ("latency", 10),
        ("throughput", 8),
        ("kernel", 6),
        ("cloud", 10),
        ("serverless", 4),
        ("protocol", 9),
        ("wireless", 8),
        ("security", 10),
        ("encryption", 5),
        ("verification", 6),
        ("software", 12),
        ("database", 8),
        ("query", 7),
        ("hardware", 8),
        ("accelerator", 5),
        ("gpu", 6),
        ("routing", 5),
        ("consensus", 4),
        ("blockchain", 3),
        ("fault", 4),
        ("program", 6),
        ("robot", 7),
        ("sensor", 6),
        ("controller", 5),
    ],
    "math": [
        ("theorem", 15),
        ("graphs", 10),
        ("groups", 10),
        ("spaces", 10),
        ("operators", 9),
        ("equations", 14),
        ("manifolds", 8),
        ("polynomials", 7),
        ("bounds", 10),
        ("inequality", 7),
        ("algebras", 6),
        ("curves", 6),
        ("lattice", 5),
        ("invariants", 5),
        ("conjecture", 5),
        ("eigenvalues", 4),
        ("solutions", 12),
        ("convex", 6),
        ("random", 8),
        ("matrices", 6),
        ("homology", 4),
        ("surfaces", 5),
        ("primes", 3),
        ("modular", 3),
        ("sheaves", 2),
    ],
    "physics": [
        ("quantum", 40),
        ("field", 14),
        ("spin", 10),
        ("phase", 12),
        ("energy", 16),
        ("magnetic", 9),
        ("optical", 8),
        ("laser", 6),
        ("photon", 6),
        ("lattice", 6),
        ("topological", 7),
        ("entanglement", 6),
        ("superconducting", 5),
        ("plasma", 5),
        ("particle", 8),
        ("collisions", 5),
        ("electron", 7),
        ("scattering", 6),
        ("transport", 6),
        ("thermal", 5),
        ("qubit", 5),
        ("hadron", 3),
        ("neutrino", 3),
        ("turbulence", 4),
        ("fluid", 5),
    ],
    "astro": [
        ("galaxy", 15),
        ("galaxies", 12),
        ("stellar", 10),
        ("star", 10),
        ("dark", 10),
        ("matter", 10),
        ("cosmological", 8),
        ("black", 8),
        ("hole", 8),
        ("gravitational", 8),
        ("waves", 7),
        ("survey", 6),
        ("telescope", 6),
        ("planet", 6),
        ("exoplanet", 4),
        ("supernova", 4),
        ("redshift", 5),
        ("cluster", 5),
        ("emission", 6),
        ("spectra", 5),
        ("solar", 6),
        ("magnetar", 2),
        ("pulsar", 3),
    ],
    "bio": [
        ("protein", 14),
        ("gene", 12),
        ("cell", 14),
        ("cells", 10),
        ("genome", 8),
        ("expression", 8),
        ("neurons", 7),
        ("brain", 8),
        ("evolution", 7),
        ("population", 8),
        ("epidemic", 5),
        ("infection", 5),
        ("tissue", 4),
        ("molecular", 8),
        ("folding", 4),
        ("sequencing", 5),
        ("species", 6),
        ("cancer", 6),
        ("drug", 5),
        ("clinical", 5),
        ("microbiome", 3),
    ],
    "econ": [
        ("market", 14),
        ("price", 10),
        ("risk", 12),
        ("portfolio", 6),
        ("volatility", 6),
        ("trading", 6),
        ("regression", 10),
        ("bayesian", 8),
        ("causal", 7),
        ("treatment", 6),
        ("panel", 5),
        ("policy", 8),
        ("welfare", 4),
        ("auction", 4),
        ("equilibrium", 6),
        ("forecasting", 6),
        ("survival", 4),
        ("sampling", 6),
        ("variance", 5),
        ("hypothesis", 5),
    ],
}

# Byline phrases that make multi-word searches meaningful ("deep learning", "dark matter").
AREA_PHRASES = {
    "ml": [
        "deep learning",
        "machine learning",
        "neural network",
        "language model",
        "graph neural network",
        "reinforcement learning",
        "large language model",
        "diffusion model",
    ],
    "systems": ["distributed system", "cloud computing", "memory hierarchy", "edge computing"],
    "math": ["random graphs", "partial differential equations", "upper bounds"],
    "physics": ["quantum computing", "phase transition", "spin chain", "quantum error correction"],
    "astro": ["dark matter", "black hole", "gravitational waves", "star formation"],
    "bio": ["protein folding", "gene expression", "single-cell sequencing"],
    "econ": ["causal inference", "time series", "asset pricing"],
}

TITLE_TEMPLATES = [
    "{adj} {area} {common} for {area} {common}",
    "{phrase} for {area} {common}",
    "Towards {adj} {phrase}",
    "On the {general} of {adj} {area} {common}",
    "{Area}: {adj} {common} via {phrase}",
    "{adj} {area} {area} with {phrase}",
    "The {general} of {area} {common} in {area}",
    "{Area} {common} under {area} {general}",
    "Revisiting {area} {common}: {adj} {phrase}",
    "Learning {area} {common} from {area} data",
]

SENTENCE_TEMPLATES = [
    "We propose a new, {adj} {area} {common} for {area} {common}.",
    "Our {common} achieves {adj} {general} on {area} {general} tasks.",
    "Existing work on {area} {common} suffers from limited {general}.",
    "We present the {adj} {common} based on {phrase} and {area} {common}.",
    "Experiments on {area} {common} show clear gains in {general} over the {general}.",
    "This paper studies the {general} of {area} {common} under {area} {common}.",
    "In this work we analyze {area} {area} using {phrase}.",
    "The proposed {common} is evaluated on the {area} {general} and on {area} {common}.",
    "We show that {phrase} can be made {adj} with the {adj} {common}.",
    "Theoretical {general} guarantees are derived for the {area} {common}.",
    "The {adj} {common} of {area} {common} is introduced and compared with prior {common}.",
    "These {general} suggest new {area} {common} for {area} {general}.",
    "Finally we discuss {general} and open questions in {phrase}.",
    "Code and {general} are released to support {adj} {area} {common}.",
]


def _words(text: str) -> list[str]:
    return text.split()


# Name pools. Weights are rough shares of a bibliography's names, Chinese family names
# included at their real frequency so that "Wu", "Y. Wu" and "Yongji Wu" collide a lot.
CHINESE_FAMILY = [
    ("Wang", 60),
    ("Li", 60),
    ("Zhang", 55),
    ("Liu", 40),
    ("Chen", 40),
    ("Yang", 28),
    ("Huang", 20),
    ("Zhao", 18),
    ("Wu", 30),
    ("Zhou", 17),
    ("Xu", 16),
    ("Sun", 14),
    ("Ma", 12),
    ("Zhu", 12),
    ("Hu", 11),
    ("Guo", 10),
    ("He", 10),
    ("Lin", 10),
    ("Gao", 9),
    ("Luo", 8),
    ("Zheng", 8),
    ("Liang", 7),
    ("Xie", 6),
    ("Tang", 6),
    ("Song", 6),
    ("Han", 6),
    ("Feng", 5),
    ("Deng", 5),
    ("Cao", 5),
    ("Peng", 5),
    ("Yu", 5),
    ("Shen", 4),
    ("Jiang", 6),
    ("Fan", 3),
    ("Du", 3),
]
CHINESE_SYLLABLES = [
    "yong",
    "ji",
    "wei",
    "jie",
    "hao",
    "xin",
    "yu",
    "ming",
    "lei",
    "jun",
    "jing",
    "yan",
    "hui",
    "qiang",
    "fang",
    "li",
    "ting",
    "xiao",
    "zhi",
    "peng",
    "chen",
    "hong",
    "jian",
    "yi",
    "yang",
    "ying",
    "yun",
    "bo",
    "tao",
    "kai",
    "rui",
    "yue",
    "qi",
    "xue",
    "lin",
    "hua",
    "feng",
    "shu",
    "long",
    "fei",
]
WESTERN_GIVEN = _words(
    "James John Robert Michael William David Richard Joseph Thomas Charles Daniel Matthew "
    "Anthony Mark Paul Steven Andrew Joshua Kevin Brian George Timothy Ronald Jason Ryan "
    "Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel "
    "Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Henry Peter Adam "
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy "
    "Betty Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah "
    "Stephanie Rebecca Sharon Laura Cynthia Amy Anna Angela Helen Emma Olivia Sophie Julia "
    "Hannah Lena Clara Marie Camille Chloé Léa Zoé Hélène François Jérôme Sébastien René "
    "Jürgen Jörg Björn Günter Łukasz Paweł Michał Øystein Søren Åsa Mikael Lars Nils Ingrid "
    "Giulia Francesca Marco Luca Matteo Alessandro Pablo Javier Alejandro Sofía María José "
    "Lucía Ana Inés João Tomás Carlos Miguel Diego Andrés Álvaro Irina Olga Dmitri Sergei "
    "Alexei Ivan Natalia Yuri"
)
WESTERN_FAMILY = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Jackson Martin Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright "
    "Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell "
    "Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson "
    "Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes "
    "Price Sanders Myers Long Ross Foster Müller Schmidt Schneider Fischer Weber Meyer Wagner "
    "Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz "
    "Zimmermann Braun Krüger Hofmann Hartmann Lange Dubois Durand Lefèvre Moreau Laurent "
    "Simon Michel Garnier Rousseau Fontaine García Fernández González Rodríguez López "
    "Martínez Sánchez Pérez Gómez Díaz Álvarez Romero Navarro Torres Ramírez Rossi Russo "
    "Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Nowak "
    "Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Hansen Johansen "
    "Olsen Larsen Andersen Pedersen Nielsen Kristensen Jensen Eriksson Lindqvist Karlsson "
    "Nilsson Johansson Ivanov Smirnov Kuznetsov Popov Sokolov Petrov Volkov Silva Santos "
    "Oliveira Souza Costa Pereira Almeida Ferreira"
)
INDIAN_GIVEN = _words(
    "Aarav Vivek Rahul Amit Sanjay Arjun Rohan Vikram Anil Suresh Rajesh Priya Ananya Divya "
    "Kavya Pooja Neha Shreya Lakshmi Deepa Aditi Meera Sunita Kiran Arun Ravi"
)
INDIAN_FAMILY = _words(
    "Sharma Verma Gupta Singh Kumar Patel Shah Reddy Rao Iyer Nair Menon Joshi Mehta "
    "Chatterjee Banerjee Mukherjee Das Bose Agarwal Kulkarni Desai Pillai Krishnan"
)
KOREAN_FAMILY = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"]
KOREAN_GIVEN = _words(
    "Ji-hoon Min-jun Seo-yeon Ji-woo Hyun-woo Soo-jin Eun-ji Dong-hyun Jae-won Sung-min "
    "Young-ho Hye-jin"
)
JAPANESE_FAMILY = _words(
    "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida "
    "Yamada Sasaki Matsumoto Inoue Kimura"
)
JAPANESE_GIVEN = _words(
    "Hiroshi Takashi Kenji Yuki Haruto Daiki Akira Satoshi Naoki Yusuke Aiko Yui Sakura "
    "Haruka Misaki Takumi"
)

# Names planted on purpose: the name-search queries in measure.py must find (or
# confidently miss) them among thousands of similar names. (display, variants, works)
PLANTED_AUTHORS = [
    ("Yongji Wu", ["Y. Wu", "Wu, Yongji"], 150),
    ("Yongji Wu", [], 4),
    ("Yongji Wu", [], 1),
    ("Yongjie Wu", [], 12),
    ("Yongjia Wu", [], 6),
    ("Yong Wu", [], 40),
    ("Yingji Wu", [], 3),
    ("Y. J. Wu", [], 9),
    ("Yongji Xu", [], 15),
    ("Yongqi Wu", [], 7),
    ("Wei Wang", [], 120),
    ("Wei Wang", [], 30),
    ("Jing Li", [], 60),
    ("John Smith", ["J. Smith"], 25),
    ("María García", ["Maria Garcia"], 18),
    ("Thomas Müller", [], 22),
    ("Hiroshi Tanaka", [], 14),
    ("Priya Sharma", [], 11),
    ("Łukasz Nowak", [], 8),
    ("Øystein Hansen", [], 5),
    ("Ji-hoon Kim", [], 19),
    ("Ada M. Lindqvist", [], 33),
]


def rare_words(count: int, seed: int = 7) -> list[str]:
    """Made-up technical words (no English stem collides with them), most frequent first.
    Each work draws a few with Zipf weights, so the tail ones match only a handful of works."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    onsets = _words("b c d f g k l m n p r s t v z br dr kr pl tr qu sk st")
    vowels = ["a", "e", "i", "o", "u", "ae", "io", "ou"]
    codas = ["", "", "n", "r", "l", "x", "m", "th", "nd", "rk"]
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < count:
        syllables = rng.choice([3, 3, 4])
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
        word += rng.choice(codas) + rng.choice(["ite", "ase", "on", "ine", "ium", "ane"])
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words
