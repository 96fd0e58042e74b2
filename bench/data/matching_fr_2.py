"""A second, independent labelled French set (held out: never looked at while tuning the engine).

Same rules as ``bench/data/matching_fr.py`` (each kind is one real-world match said several
ways, different words on the two sides, short and long, typos, familiar and formal; kinds of
one category are each other's distractors), but other kinds and other phrasings, written after
the engine's calibration was chosen on the first set, to check that it is not fitted to it.
Run with ``bench/matching_quality.py --set 2``.
"""

from __future__ import annotations

from bench.data.matching_fr import Kind

KINDS: tuple[Kind, ...] = (
    # ------------------------------------------------------------------ matériel
    Kind(
        "vaisselle",
        "materiel",
        None,
        ("culture", "solidarite_social"),
        (
            "De la vaisselle réutilisable pour nos repas de quartier (assiettes, verres, couverts).",
            "gobelets et couverts lavables pour la kermesse",
            "vaiselle pour 100 personnes",
        ),
        (
            "Le traiteur qui ferme donne 300 assiettes, plats et verres.",
            "Nous prêtons nos caisses de couverts et de verres consignés pour les fêtes associatives",
            "Stock de vaisselle de cantine à récupérer",
        ),
    ),
    Kind(
        "instruments",
        "materiel",
        None,
        ("culture", "education_jeunesse"),
        (
            "Des instruments de musique (guitares, claviers) pour l'orchestre des enfants.",
            "un piano droit pour notre école de musique",
            "instruments pour débutants, même un peu abîmés",
        ),
        (
            "Don de deux guitares et d'un synthétiseur qui ne servent plus.",
            "Notre conservatoire renouvelle son parc : violons et flûtes d'étude à céder",
            "Piano numérique à donner, à venir chercher",
        ),
    ),
    Kind(
        "vehicule",
        "materiel",
        None,
        ("mobilite", "solidarite_social"),
        (
            "Emprunter un camion pour transporter les meubles de la recyclerie.",
            "prêt d'un utilitaire 12 m3 un samedi par mois",
            "Un minibus pour emmener les jeunes en sortie",
        ),
        (
            "Notre flotte d'utilitaires est disponible le week-end pour des associations.",
            "Prêt gratuit d'un fourgon avec chauffeur pour vos déménagements solidaires",
            "La commune prête son minibus 9 places aux clubs et associations",
        ),
    ),
    Kind(
        "sono",
        "materiel",
        None,
        ("culture",),
        (
            "Une sono et des micros pour le concert de fin d'année.",
            "matériel son et lumière pour une soirée",
            "enceintes + table de mixage pour la fête du village",
        ),
        (
            "Location à prix coûtant de notre système de sonorisation et d'éclairage.",
            "Prêt d'enceintes, micros et projecteurs par le service des fêtes",
            "Kit sono complet à emprunter",
        ),
    ),
    # ------------------------------------------------------------------ locaux
    Kind(
        "cuisine",
        "locaux",
        None,
        ("alimentation",),
        (
            "Une cuisine professionnelle pour nos ateliers cuisine avec les familles.",
            "cuisine équipée aux normes pour préparer des repas solidaires",
            "un lieu avec fourneaux et plans de travail pour un traiteur d'insertion",
        ),
        (
            "Notre restaurant d'entreprise prête sa cuisine l'après-midi.",
            "Laboratoire culinaire aux normes HACCP disponible le dimanche",
            "La cantine de l'école est libre pendant les vacances pour des ateliers de cuisine",
        ),
    ),
    Kind(
        "repetition",
        "locaux",
        None,
        ("culture",),
        (
            "Un lieu pour répéter notre pièce de théâtre, deux soirs par semaine.",
            "studio de répétition pour un groupe de rock",
            "une scène ou une salle avec un plancher pour nos répétitions de danse",
        ),
        (
            "Le centre culturel ouvre sa salle de spectacle aux troupes amateurs en journée.",
            "Studio de musique insonorisé à louer à l'heure, tarif associatif",
            "Notre auditorium est disponible pour des répétitions le lundi",
        ),
    ),
    Kind(
        "terrain_potager",
        "locaux",
        None,
        ("environnement", "alimentation"),
        (
            "Une parcelle de terre pour créer un jardin partagé.",
            "un terrain pour faire du maraîchage avec des personnes en insertion",
            "bout de terrain cultivable, même petit",
        ),
        (
            "Friche de 2 000 m² mise à disposition pour un projet de jardin.",
            "La mairie confie des parcelles communales à des potagers associatifs",
            "Nous avons un champ inutilisé derrière l'usine, ouvert à un projet agricole",
        ),
    ),
    # ------------------------------------------------------------------ bénévoles
    Kind(
        "maraude",
        "benevoles",
        None,
        ("solidarite_social",),
        (
            "Des bénévoles pour les maraudes du soir auprès des personnes à la rue.",
            "renforts pour distribuer boissons chaudes et couvertures en hiver",
            "gens motivés pour aller à la rencontre des SDF le jeudi soir",
        ),
        (
            "Nos collaborateurs souhaitent participer à des tournées de rue auprès des sans-abri.",
            "Groupe d'étudiants prêts à rejoindre une équipe de maraude",
            "Des volontaires disponibles en soirée pour l'aide aux personnes sans domicile",
        ),
    ),
    Kind(
        "francais",
        "benevoles",
        None,
        ("education_jeunesse", "solidarite_social"),
        (
            "Des bénévoles pour donner des cours de français aux personnes exilées.",
            "animateurs pour des ateliers de conversation FLE",
            "Quelqu'un pour apprendre à lire et écrire à des adultes",
        ),
        (
            "Retraitée, ancienne institutrice, je peux enseigner le français langue étrangère.",
            "Nos salariés animent des ateliers d'alphabétisation sur leur temps de mécénat",
            "Étudiants en lettres volontaires pour des cours de langue aux migrants",
        ),
    ),
    Kind(
        "bricolage",
        "benevoles",
        None,
        ("logement", "solidarite_social"),
        (
            "Des bricoleurs pour repeindre et rafraîchir des logements d'accueil.",
            "coup de main travaux : peinture, petite plomberie",
            "Besoin de bras pour rénover notre local (cloisons, électricité)",
        ),
        (
            "Une équipe de salariés du BTP propose une journée de chantier solidaire.",
            "Artisans retraités disponibles pour des petits travaux chez des associations",
            "Des volontaires qui savent peindre, poser du parquet et bricoler",
        ),
    ),
    # ------------------------------------------------------------------ compétences
    Kind(
        "paie",
        "competences",
        "comptabilite",
        ("emploi_insertion",),
        (
            "Aide pour établir les fiches de paie de nos deux salariés.",
            "gestion de la paie et des déclarations sociales",
            "qqn pour nous expliquer la DSN et les bulletins de salaire",
        ),
        (
            "Notre service RH fait gratuitement la paie de petites associations employeuses.",
            "Gestionnaire de paie bénévole : bulletins, charges sociales, DSN",
            "Mécénat de compétences en gestion sociale et paie",
        ),
    ),
    Kind(
        "video",
        "competences",
        "communication",
        ("culture",),
        (
            "Un vidéaste pour réaliser un petit film sur nos actions.",
            "montage d'une vidéo pour notre campagne de dons",
            "filmer et monter un clip de présentation de l'asso",
        ),
        (
            "Société de production : nous tournons gratuitement un film pour une association par an.",
            "Monteur vidéo bénévole, quelques heures par mois",
            "Réalisation de reportages vidéo en mécénat de compétences",
        ),
    ),
    Kind(
        "logiciel_gestion",
        "competences",
        "numerique",
        ("numerique",),
        (
            "Mettre en place un logiciel pour gérer nos adhérents et les cotisations.",
            "un outil pour suivre nos bénévoles et leurs plannings",
            "aide pour choisir et installer un logiciel de gestion d'association",
        ),
        (
            "Nos développeurs paramètrent des outils de gestion des membres pour les associations.",
            "Conseil et installation de logiciels libres de gestion associative",
            "Un consultant informatique aide à informatiser le fichier des adhérents",
        ),
    ),
    Kind(
        "evaluation",
        "competences",
        "gestion_projet",
        ("citoyennete",),
        (
            "Mesurer l'impact social de notre projet pour nos financeurs.",
            "aide pour faire le bilan et l'évaluation de nos actions",
            "construire des indicateurs de suivi de nos activités",
        ),
        (
            "Cabinet de conseil : accompagnement à l'évaluation d'impact social, pro bono.",
            "Chargée d'évaluation bénévole pour définir vos indicateurs",
            "Nous aidons les associations à mesurer et valoriser leurs résultats",
        ),
    ),
    # ------------------------------------------------------------------ financement
    Kind(
        "mecene_environnement",
        "financement",
        None,
        ("environnement",),
        (
            "Un financement pour replanter des haies et protéger la biodiversité.",
            "mécène pour notre projet de sauvegarde des abeilles",
            "des fonds pour nettoyer la rivière et ses berges",
        ),
        (
            "Notre fonds soutient les projets de protection de la nature et de la biodiversité.",
            "Mécénat environnemental : reforestation, zones humides, pollinisateurs",
            "Appel à projets pour la transition écologique, jusqu'à 10 000 €",
        ),
    ),
    Kind(
        "mecene_handicap",
        "financement",
        None,
        ("sante", "solidarite_social"),
        (
            "Financer un fauteuil tout-terrain pour que nos adhérents handicapés randonnent.",
            "soutien financier pour adapter nos activités aux personnes en situation de handicap",
            "un mécène pour des séjours de vacances adaptés",
        ),
        (
            "Fondation dédiée à l'inclusion des personnes handicapées : subventions jusqu'à 8 000 €.",
            "Nous finançons des équipements adaptés et l'accessibilité",
            "Mécénat santé et handicap pour les associations locales",
        ),
    ),
    # ------------------------------------------------------------------ partenariat
    Kind(
        "isolement_seniors",
        "partenariat",
        None,
        ("solidarite_social", "sante"),
        (
            "Des partenaires pour rompre l'isolement des personnes âgées.",
            "visites de convivialité aux anciens, on cherche des structures pour s'associer",
            "monter un réseau de voisins solidaires avec les aînés",
        ),
        (
            "L'EHPAD cherche des associations pour des animations et des visites aux résidents.",
            "Le CCAS veut co-construire des actions contre la solitude des seniors",
            "Notre mutuelle s'associe à des projets intergénérationnels",
        ),
    ),
    Kind(
        "reemploi",
        "partenariat",
        None,
        ("environnement", "emploi_insertion"),
        (
            "Partenaires pour développer une ressourcerie et le réemploi des objets.",
            "on veut créer une filière de réparation et de revente d'objets d'occasion",
            "récupérer les encombrants réutilisables avec la collectivité",
        ),
        (
            "La déchetterie intercommunale cherche une association pour gérer une zone de réemploi.",
            "Entreprise d'insertion ouverte à un partenariat sur le recyclage et la seconde main",
            "Nous voulons confier nos objets réparables à une recyclerie locale",
        ),
    ),
)

# Needs whose words also ask for another kind (see ``matching_fr.ALSO``): none in this set.
ALSO: dict[str, tuple[str, ...]] = {}
