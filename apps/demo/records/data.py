"""Fixed facts and word lists for the demo community (see the package docstring): arXiv
categories, synthetic institutions, venues, names and the vocabularies titles are composed from,
plus the deliberate same-name situations in MIXED_RECORDS."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# Every date counts back from this fixed day, not from today, so the data never changes.
ANCHOR = datetime.date(2026, 11, 20)
FETCHED_AT = datetime.datetime(2026, 11, 20, 6, 0, tzinfo=datetime.UTC)
DOI_PREFIX = "10.5555/peerage-demo."
RECENT_DAYS = 30
SPAN_DAYS = 3650


@dataclass(frozen=True)
class MixedRecord:
    """One author record holding the works of two unrelated people who share a name: person
    A publishes in topics[0]'s area, person B in topics[1]'s, with disjoint co-authors. Where
    `second_openalex_id` is set, B also has a record of their own holding the rest of B's works.
    """

    display_name: str
    openalex_id: str
    topics: tuple[str, str]
    second_openalex_id: str | None


MIXED_RECORDS = (
    MixedRecord("Wei Zhang", "A9900000001", ("cs.DC", "q-bio.NC"), "A9900000002"),
    MixedRecord("María García", "A9900000003", ("cs.CL", "astro-ph.GA"), "A9900000004"),
    MixedRecord("Li Wang", "A9900000005", ("cs.CV", "cond-mat.mtrl-sci"), None),
    MixedRecord("Amit Kumar", "A9900000007", ("cs.CR", "q-bio.GN"), "A9900000008"),
)
MIXED_VARIANTS = {
    "Wei Zhang": ("W. Zhang", "Zhang Wei"),
    "María García": ("Maria Garcia", "M. García"),
    "Li Wang": ("L. Wang", "Wang Li"),
    "Amit Kumar": ("A. Kumar",),
}
MIXED_SHARE = 0.6  # of person B's works that land on the mixed record when B has their own

# Unclaimed records for the demo accounts of apps/demo/accounts.py (same display names), the
# author from the spec's search example, and a second "Y. Wu" to make that search interesting.
# (name, variants, their lab's topic, which lab of that topic, role, has an ORCID iD)
SPECIAL_PEOPLE = (
    ("Ada Lindqvist", ("A. Lindqvist", "Ada M. Lindqvist"), "cs.DC", 0, "pi", True),
    ("Yongji Wu", ("Y. Wu", "Wu Yongji", "Yong-Ji Wu"), "cs.DC", 0, "student", True),
    ("Tomás Okafor", ("Tomas Okafor", "T. Okafor"), "cs.LG", 0, "postdoc", False),
    ("Mei Tanaka", ("M. Tanaka", "Tanaka Mei"), "q-bio.NC", 0, "pi", True),
    ("Yue Wu", ("Y. Wu",), "cs.CL", 1, "student", False),
)
DEMO_ACCOUNT_AUTHORS = ("Ada Lindqvist", "Tomás Okafor", "Mei Tanaka")

# arXiv categories (code and name as arXiv gives them), grouped into areas whose labs
# collaborate; then methods; problems; settings, which the titles are composed from.
TOPICS = (
    ("cs.DC", "Distributed, Parallel, and Cluster Computing", "systems",
     "Sharding; Speculative Execution; Consensus Batching; Work Stealing; Elastic Scheduling",
     "Stream Processing; Serverless Workflows; Replicated State Machines; Cluster Scheduling",
     "Low-Latency; Geo-Distributed; Fault-Tolerant; Multi-Tenant"),
    ("cs.OS", "Operating Systems", "systems",
     "Page Coloring; Kernel Bypass; Lightweight Isolation; Userspace Scheduling",
     "Memory Tiering; I/O Virtualisation; Container Startup; File System Crash Consistency",
     "Microsecond-Scale; Persistent-Memory; Multicore; Energy-Aware"),
    ("cs.NI", "Networking and Internet Architecture", "systems",
     "Congestion Control; Programmable Switching; In-Network Caching; Traffic Shaping",
     "Datacenter Transport; Video Streaming; Satellite Networks; Wireless Backhaul",
     "Loss-Tolerant; Programmable; Cellular; Inter-Domain"),
    ("cs.AR", "Hardware Architecture", "systems",
     "Near-Memory Processing; Cache Partitioning; Dataflow Accelerators; Approximate Computing",
     "Sparse Tensor Kernels; Graph Analytics; Memory Disaggregation; Branch Prediction",
     "Chiplet-Based; Low-Power; Reconfigurable; Heterogeneous"),
    ("cs.DB", "Databases", "systems",
     "Learned Indexes; Adaptive Query Processing; Multi-Version Concurrency Control; Sketching",
     "Query Optimisation; Transaction Processing; Data Lakes; Approximate Query Answering",
     "Cloud-Native; Serializable; Columnar; Incremental"),
    ("cs.LG", "Machine Learning", "ml",
     "Contrastive Pretraining; Mixture-of-Experts Routing; Low-Rank Adaptation; Distillation",
     "Continual Learning; Federated Training; Out-of-Distribution Detection; Active Learning",
     "Label-Efficient; Privacy-Preserving; Long-Horizon; Resource-Constrained"),
    ("stat.ML", "Machine Learning", "ml",
     "Conformal Prediction; Variational Inference; Gaussian Processes; Kernel Two-Sample Tests",
     "Uncertainty Quantification; Causal Effect Estimation; Model Calibration; Change Detection",
     "Nonparametric; High-Dimensional; Distribution-Free; Bayesian"),
    ("math.OC", "Optimization and Control", "ml",
     "Proximal Methods; Mirror Descent; Model Predictive Control; Variance Reduction",
     "Nonconvex Optimisation; Min-Max Problems; Optimal Transport; Trajectory Planning",
     "Stochastic; Distributed; Constrained; Zeroth-Order"),
    ("cs.CV", "Computer Vision and Pattern Recognition", "ml",
     "Masked Autoencoding; Neural Radiance Fields; Diffusion Priors; Sparse Attention",
     "3D Scene Reconstruction; Video Object Segmentation; Depth Estimation; Image Retrieval",
     "Open-Vocabulary; Few-Shot; Real-Time; Self-Supervised"),
    ("cs.CL", "Computation and Language", "ml",
     "Retrieval Augmentation; Instruction Tuning; Constrained Decoding; Cross-Lingual Transfer",
     "Machine Translation; Question Answering; Summarisation; Morphological Analysis",
     "Low-Resource; Multilingual; Long-Context; Faithful"),
    ("cs.IR", "Information Retrieval", "ml",
     "Dense Retrieval; Learning to Rank; Query Expansion; Late Interaction",
     "Conversational Search; Recommendation; Passage Ranking; Entity Linking",
     "Session-Aware; Fair; Zero-Shot; Personalised"),
    ("cs.CR", "Cryptography and Security", "security",
     "Differential Privacy; Fuzzing; Secure Aggregation; Side-Channel Analysis",
     "Malware Detection; Private Set Intersection; Supply-Chain Attacks; Access Control",
     "Post-Quantum; Verifiable; Threshold; Privacy-Preserving"),
    ("cs.PL", "Programming Languages", "security",
     "Gradual Typing; Abstract Interpretation; Program Synthesis; Effect Systems",
     "Memory Safety; Incremental Compilation; Smart Contract Verification; Code Migration",
     "Type-Safe; Whole-Program; Sound; Modular"),
    ("cs.SE", "Software Engineering", "security",
     "Mutation Testing; Fault Localisation; Code Review Mining; Property-Based Testing",
     "Flaky Tests; Build Reproducibility; API Evolution; Technical Debt",
     "Large-Scale; Continuous; Developer-Centred; Automated"),
    ("cs.HC", "Human-Computer Interaction", "hci",
     "Participatory Design; Mixed-Methods Evaluation; Haptic Feedback; Gaze Tracking",
     "Accessible Interfaces; Collaborative Writing; Data Visualisation; Notification Overload",
     "Inclusive; Remote; Situated; Longitudinal"),
    ("cs.RO", "Robotics", "hci",
     "Imitation Learning; Tactile Sensing; Whole-Body Control; Semantic Mapping",
     "Legged Locomotion; Dexterous Manipulation; Multi-Robot Exploration; Human-Robot Handover",
     "Contact-Rich; Outdoor; Safe; Sim-to-Real"),
    ("q-bio.NC", "Neurons and Cognition", "life",
     "Spiking Network Models; Population Decoding; Predictive Coding; Calcium Imaging Analysis",
     "Working Memory; Place Cell Remapping; Sensory Adaptation; Decision Making",
     "Cortical; Hippocampal; Large-Scale; Closed-Loop"),
    ("q-bio.GN", "Genomics", "life",
     "Long-Read Assembly; Variant Calling; Single-Cell Clustering; Sequence Embeddings",
     "Structural Variation; Gene Regulatory Networks; Metagenomic Binning; Haplotype Phasing",
     "Population-Scale; Reference-Free; Multi-Omic; Pan-Genome"),
    ("physics.comp-ph", "Computational Physics", "physical",
     "Lattice Boltzmann Methods; Adaptive Mesh Refinement; Monte Carlo Sampling; Tensor Networks",
     "Turbulent Flows; Molecular Dynamics; Plasma Simulation; Radiative Transfer",
     "GPU-Accelerated; Multiscale; Mixed-Precision; Exascale"),
    ("astro-ph.GA", "Astrophysics of Galaxies", "physical",
     "Hydrodynamical Simulations; Spectral Stacking; Weak Lensing Inference; Photometric Redshifts",
     "Galaxy Quenching; Dark Matter Halos; Stellar Feedback; Gas Accretion",
     "High-Redshift; Dwarf-Galaxy; Wide-Field; Resolved"),
    ("cond-mat.mtrl-sci", "Materials Science", "physical",
     "Density Functional Theory; Machine-Learned Potentials; Phase-Field Modelling; "
     "High-Throughput Screening",
     "Battery Cathodes; Grain Boundaries; Perovskite Stability; Thermal Transport",
     "Defect-Tolerant; Two-Dimensional; Disordered; Finite-Temperature"),
    ("quant-ph", "Quantum Physics", "physical",
     "Variational Circuits; Error Mitigation; Tensor Network Contraction; Randomised Benchmarking",
     "Quantum Error Correction; Hamiltonian Simulation; Entanglement Certification; Qubit Readout",
     "Noisy; Fault-Tolerant; Near-Term; Superconducting"),
)  # fmt: skip
METHOD_TOPICS = ("cs.LG", "stat.ML", "math.OC")  # the only tags a lab may take from another area

# Per area: field; contexts; weaknesses of prior work; what the new method does; metrics; data.
AREAS = {
    "systems": (
        "distributed systems",
        "cloud services; data pipelines; large-scale analytics; edge deployments",
        "existing designs assume a static workload; current systems scale poorly beyond a few "
        "hundred nodes; prior approaches ignore the cost of coordination; tuning remains manual",
        "adapts its configuration as the workload shifts; keeps coordination off the common "
        "path; exploits locality that existing designs discard; bounds the work lost to failures",
        "tail latency; throughput; cost per query; recovery time",
        "production traces from three services; a 256-node cluster; standard benchmark suites",
    ),
    "ml": (
        "machine learning",
        "deployed models; scientific discovery; search and recommendation; assistive tools",
        "existing methods need labels that are expensive to collect; current models break down "
        "under distribution shift; most approaches trade accuracy for compute; evaluations "
        "rarely reflect real use",
        "learns from a handful of labelled examples; comes with a finite-sample guarantee; "
        "reuses computation across related tasks; exposes a single interpretable knob",
        "accuracy; calibration error; sample efficiency; compute cost",
        "seven public benchmarks; a new multilingual test set; image and video benchmarks",
    ),
    "security": (
        "software security",
        "open-source ecosystems; critical infrastructure; mobile platforms; cloud software",
        "current tools report too many false alarms; existing defences assume a weak attacker; "
        "analyses do not scale to real code bases; guarantees rarely survive compilation",
        "finds bugs that existing tools miss; proves the absence of a class of errors; runs "
        "incrementally inside continuous integration; needs no changes to existing code",
        "bugs found; false-positive rate; analysis time; overhead",
        "1,200 open-source packages; a corpus of real vulnerabilities; industrial code bases",
    ),
    "hci": (
        "human-computer interaction",
        "everyday computing; assistive technology; remote collaboration; field robotics",
        "existing systems are designed for expert users; prior studies are short and "
        "lab-based; current robots fail outside controlled settings; feedback is easily missed",
        "adapts to each person's pace; works in unstructured environments; combines touch "
        "and sound feedback; keeps a human in the loop",
        "task completion time; success rate; perceived workload; error rate",
        "a 12-week field deployment; a study with 48 participants; 300 hours of robot trials",
    ),
    "life": (
        "computational biology",
        "systems neuroscience; clinical genomics; population health; cell atlases",
        "existing analyses assume independent samples; current pipelines lose rare signals; "
        "models are fitted to one lab's data; batch effects confound comparisons",
        "separates biological signal from batch effects; scales to millions of cells; "
        "recovers structure at single-trial resolution; quantifies its own uncertainty",
        "decoding accuracy; recall of known variants; runtime; concordance",
        "recordings from five laboratories; 40,000 sequenced genomes; a public cell atlas",
    ),
    "physical": (
        "computational physics",
        "climate models; galaxy surveys; materials discovery; quantum devices",
        "current solvers are limited by memory bandwidth; existing models neglect feedback "
        "between scales; simulations are too costly for parameter studies; noise swamps signal",
        "couples scales without hand-tuned closures; runs at full efficiency on GPUs; "
        "reuses expensive evaluations across parameters; tolerates realistic noise",
        "simulation error; wall-clock time; fidelity; energy to solution",
        "a suite of standard test problems; archival survey data; calculations on 10,000 GPUs",
    ),
}
ADJECTIVES = (
    "Adaptive; Robust; Scalable; Efficient; Lightweight; Principled; Hierarchical; Incremental; "
    "Decentralised; Practical; Calibrated; Sparse; Verifiable; Data-Efficient; Self-Tuning"
)
SYSTEM_NAMES = (
    "Tessera; Halyard; Corvid; Skein; Marlin; Quillon; Ferrous; Osprey; Brindle; Juniper; "
    "Larch; Orrery; Pylon; Rook; Sable; Tamarack; Umbra; Vireo; Wicket; Yarrow; Alder; Basalt; "
    "Cairn; Dunlin; Ember; Fathom; Gannet; Heron; Inkwell; Lodestar"
)
TITLES = (
    "{A} {M} for {P}", "{S}: {A} {M} for {Q} {P}", "Towards {Q} {P}", "Revisiting {P} with {M}",
    "{M} for {Q} {P}", "On the Limits of {M} in {P}", "{S}: {Q} {P} at Scale",
    "{An} {A} Approach to {P}", "Scaling {M} to {Q} {P}", "{M} Meets {M2}: {A} {P}",
    "Understanding {P} through {M}", "{A} {P} with {M}", "When Does {M} Help {Q} {P}?",
)  # fmt: skip
FINDINGS = (
    "most of the gain comes from {m2}",
    "a simpler variant matches the full method at a fraction of the cost",
    "the approach degrades gracefully when its assumptions are violated",
    "the improvements hold across {k} settings we did not tune for",
)

# Given and family names by tradition, combined at random into synthetic people.
NAME_POOLS = {
    "en": (
        "James Olivia Ethan Grace Samuel Chloe Daniel Hannah Owen Ruth Lucas Alice Henry Clara",
        "Whitfield Hargrove Ashdown Pembrook Calloway Ellery Marston Radley Thorne Kendrick",
    ),
    "de": (
        "Ingrid Lars Sofie Jonas Freja Matthias Lena Jürgen Katrin Henrik Elin Tobias",
        "Berglund Holmström Ekdahl Nyberg Sandvik Brandt Köhler Vogel Hartmann Müller Schäfer",
    ),
    "es": (
        "Lucía Mateo Camila Diego Inés Joaquín Valeria Rafael Beatriz João Marta Tiago",
        "Herrera Castillo Navarro Ortega Salazar Pereira Fonseca Moreira Quintero Rojas Vidal",
    ),
    "zh": (
        "Yifan Xiaoming Jiayi Hao Zhiwei Ying Jun Lei Ning Ruoxi Haoran Xinyi",
        "Liu Chen Huang Zhou Xu Sun Ma Zhu Hu Guo Lin Gao Luo",
    ),
    "ja": (
        "Haruto Yui Sota Aoi Ren Hina Kenji Sakura Daiki Emi",
        "Sato Suzuki Takahashi Watanabe Ito Nakamura Kobayashi Yamamoto Kato Yoshida",
    ),
    "ko": (
        "Ji-woo Min-jun Seo-yeon Hyun-woo Eun-ji Do-hyun Ha-eun",
        "Kim Park Choi Jung Kang Yoon",
    ),
    "in": (
        "Priya Arjun Ananya Rohan Kavya Vikram Nisha Rahul Deepa Sanjay",
        "Sharma Iyer Reddy Nair Patel Gupta Menon Rao Banerjee Desai",
    ),
    "ru": ("Dmitry Aleksandr Sergei Mikhail Pavel Andrei", "Volkov Orlov Smirnov Morozov Lebedev"),
    "pl": (
        "Tomasz Agnieszka Jakub Zofia Michał Katarzyna Łukasz Ewa",
        "Nowak Wójcik Mazur Krawczyk Dudek Wróbel Sikora Baran",
    ),
    "af": (
        "Chidi Amara Kwame Ngozi Tendai Abebe Zanele Kofi Adaeze Sipho",
        "Okonkwo Mensah Adeyemi Nkosi Mwangi Asante Banda Osei Tesfaye",
    ),
    "me": (
        "Omar Layla Karim Yasmin Mehmet Elif Reza Shirin Tariq Nour",
        "Haddad Farouk Demir Yılmaz Kaya Rahimi Tehrani Mansour Aziz Khalil",  # noqa: RUF001
    ),
}
FAMILY_FIRST = ("zh", "ja", "ko")
TRANSLITERATIONS = {
    "Dmitry": "Dmitrii", "Aleksandr": "Alexander", "Sergei": "Sergey", "Andrei": "Andrey",
    "Jürgen": "Juergen", "Müller": "Mueller", "Köhler": "Koehler", "Schäfer": "Schaefer",
    "Holmström": "Holmstroem", "Ji-woo": "Jiwoo", "Min-jun": "Minjun", "Seo-yeon": "Seoyeon",
}  # fmt: skip

INSTITUTIONS = (
    ("University of Northvale", "GB"), ("Eastmere Institute of Technology", "US"),
    ("Kestrel Bay University", "AU"), ("Harrowgate Polytechnic", "GB"),
    ("Lake Orin University", "CA"), ("Valmont Research Institute", "FR"),
    ("University of Stonebridge", "US"), ("Corrin Valley College", "IE"),
    ("Aldermoor University", "NL"), ("Saltmarsh Institute for Advanced Study", "DE"),
    ("Brightwater Technical University", "SE"), ("University of Westfold", "NO"),
    ("Ravensholm University", "DK"), ("Meridian Institute of Science", "SG"),
    ("Tallis Coast University", "NZ"), ("Pinecrest University", "US"),
    ("Duskwood Institute of Technology", "CH"), ("University of Southhaven", "ZA"),
    ("Ironvale University", "CA"), ("Glasswater Laboratory for Computation", "US"),
    ("Amberfield University", "IN"), ("Highmoor Institute of Science", "JP"),
    ("University of Redcliff Harbour", "KR"), ("Silverpine University", "BR"),
    ("Cedar Plains Institute", "MX"), ("Northern Lights University", "FI"),
    ("Sunridge University of Technology", "CN"), ("Old Quarry College", "ES"),
    ("Marrowby Institute for Life Sciences", "GB"), ("Eastwind Polytechnic", "PL"),
)  # fmt: skip

# (name, kind, area it serves; "" for every area)
VENUES = (
    ("arXiv", "repository", ""), ("Open Research Data Archive", "repository", ""),
    ("Lecture Series in Computational Science", "book-series", ""),
    ("Journal of Scalable Systems", "journal", "systems"),
    ("Transactions on Data Infrastructure", "journal", "systems"),
    ("Symposium on Distributed Infrastructure (SDI)", "conference", "systems"),
    ("Conference on Networked and Operating Systems (CNOS)", "conference", "systems"),
    ("Transactions on Learning and Representation", "journal", "ml"),
    ("Journal of Language and Vision Computing", "journal", "ml"),
    ("Conference on Adaptive Learning Systems (CALS)", "conference", "ml"),
    ("Meeting on Perception and Language (MPL)", "conference", "ml"),
    ("Journal of Secure and Reliable Software", "journal", "security"),
    ("Symposium on Software Trust (SST)", "conference", "security"),
    ("Journal of Interactive and Embodied Systems", "journal", "hci"),
    ("Conference on Human and Robot Interaction (CHRI)", "conference", "hci"),
    ("Journal of Quantitative Life Sciences", "journal", "life"),
    ("Computational Biology Meeting (CBM)", "conference", "life"),
    ("Journal of Simulation in the Physical Sciences", "journal", "physical"),
    ("Letters in Galactic Astronomy", "journal", "physical"),
    ("Workshop on Computational Materials and Quantum Systems (CMQS)", "conference", "physical"),
)  # fmt: skip
VENUE_FOR_TYPE = {"article": "journal", "proceedings": "conference"}
FIXED_VENUE = {
    "preprint": "arXiv",
    "dataset": "Open Research Data Archive",
    "book-chapter": "Lecture Series in Computational Science",
}
TYPE_MIX = {  # preprint, article, proceedings, book-chapter, dataset, other
    "systems": (25, 25, 38, 4, 4, 4),
    "ml": (35, 20, 35, 3, 4, 3),
    "security": (25, 30, 35, 4, 2, 4),
    "hci": (20, 35, 35, 4, 2, 4),
    "life": (30, 55, 5, 4, 4, 2),
    "physical": (30, 55, 5, 4, 4, 2),
    "recent": (70, 15, 10, 0, 5, 0),
}
TYPES = ("preprint", "article", "proceedings", "book-chapter", "dataset", "other")
BYLINE_WEIGHTS = (3, 9, 16, 18, 16, 12, 9, 6, 4, 3, 2, 2)  # for 1..12 authors
ROLE_WEIGHT = {"pi": 0.3, "postdoc": 2.0, "student": 3.0, "visitor": 0.15}
