"""A labelled French set of needs and offers, to measure whether suggestions make sense.

Written by hand, independently of the engine: each *kind* is one real-world match (a need and
the offers that answer it), said several ways with different words on the two sides —
synonyms, short and long, familiar and formal, typos, abbreviations. Kinds of the same
category are each other's distractors: a need of kind A paired with an offer of kind B of the
same category is a wrong suggestion. ``bench/matching_quality.py`` places them on a dense
territory and on a sparse one.

Fields of a kind: (name, category, skill or None, themes, needs, offers).
"""

from __future__ import annotations

from typing import NamedTuple


class Kind(NamedTuple):
    name: str
    category: str
    skill: str | None
    themes: tuple[str, ...]
    needs: tuple[str, ...]
    offers: tuple[str, ...]


KINDS: tuple[Kind, ...] = (
    # ------------------------------------------------------------------ matériel
    Kind(
        "froid",
        "materiel",
        None,
        ("alimentation",),
        (
            "Un réfrigérateur professionnel pour garder les produits frais de l'épicerie.",
            "On cherche un frigo ou un congélateur, le nôtre vient de lâcher",
            "Besoin d'une armoire réfrigérée pour stocker les dons de la banque alimentaire avant distribution aux familles le mercredi et le samedi.",
            "refrigerateur",
        ),
        (
            "Nous donnons deux réfrigérateurs professionnels suite à la rénovation de notre cuisine.",
            "Congélateur coffre en bon état à céder gratuitement",
            "Vitrine froide et frigo inox à récupérer, le restaurant ferme",
        ),
    ),
    Kind(
        "ordinateurs",
        "materiel",
        None,
        ("numerique",),
        (
            "Des ordinateurs portables reconditionnés pour nos ateliers d'initiation.",
            "pc portables pour les jeunes qui n'ont pas d'équipement",
            "Notre association manque d'ordinateurs : il nous en faudrait une dizaine pour que les demandeurs d'emploi puissent faire leurs démarches en ligne.",
            "ordis",
        ),
        (
            "Une vingtaine d'ordinateurs portables à donner après renouvellement du parc informatique.",
            "Don de PC fixes et écrans, effacés et réinstallés",
            "Notre service informatique remplace ses laptops : 15 machines disponibles pour une asso",
        ),
    ),
    Kind(
        "invendus",
        "materiel",
        None,
        ("alimentation", "solidarite_social"),
        (
            "Récupérer des invendus alimentaires pour nos colis solidaires.",
            "Du pain et des viennoiseries de la veille pour le petit déjeuner des sans-abri",
            "On collecte les surplus de nourriture des commerces pour les redistribuer",
            "denrées alimentaires",
        ),
        (
            "Invendus de pain et viennoiseries chaque soir, à récupérer avant 20 h.",
            "Dons de produits frais proches de la date limite, trois fois par semaine.",
            "Notre supermarché donne ses fruits et légumes abîmés mais consommables",
        ),
    ),
    Kind(
        "mobilier",
        "materiel",
        None,
        ("solidarite_social", "logement"),
        (
            "Des tables et des chaises pour équiper notre nouvelle salle d'accueil.",
            "meubles de bureau (bureaux, armoires, fauteuils) pour notre local",
            "On meuble des logements d'urgence : lits, canapés, armoires bienvenus",
            "mobilier",
        ),
        (
            "Nous déménageons : 30 bureaux, chaises et caissons à donner.",
            "Don de mobilier de bureau en bon état, à venir chercher",
            "Lits, tables et chaises issus de la fermeture d'un hôtel, gratuits pour une association",
        ),
    ),
    Kind(
        "outillage_velo",
        "materiel",
        None,
        ("mobilite", "environnement"),
        (
            "Des outils pour notre atelier de réparation de vélos (pieds d'atelier, clés, démonte-pneus).",
            "outillage velo",
            "Un atelier participatif cherche du matériel de mécanique cycle pour apprendre aux habitants à réparer leur bicyclette.",
        ),
        (
            "Nous cédons l'outillage complet de notre ancien magasin de cycles.",
            "Pieds d'atelier et caisses à outils vélo disponibles",
            "Don de pièces détachées et d'outils pour l'entretien des bicyclettes",
        ),
    ),
    Kind(
        "vetements",
        "materiel",
        None,
        ("solidarite_social",),
        (
            "Des vêtements chauds pour l'hiver : manteaux, pulls, bonnets.",
            "habits pour enfants de 0 à 10 ans",
            "Notre vestiaire solidaire manque de vêtements d'homme, surtout des chaussures et des blousons",
        ),
        (
            "Collecte interne de vêtements chez nos salariés, à remettre à une association.",
            "Stock de textiles neufs invendus (t-shirts, sweats) à donner",
            "Des cartons de fringues propres triées par taille",
        ),
    ),
    # ------------------------------------------------------------------ locaux
    Kind(
        "salle_reunion",
        "locaux",
        None,
        ("citoyennete",),
        (
            "Une salle pour notre assemblée générale, une soirée en juin, 40 personnes.",
            "salle de réunion le soir",
            "Nous cherchons un lieu pour nous réunir une fois par mois avec nos adhérents",
        ),
        (
            "Salle de réunion de 20 places libre le mardi et le jeudi.",
            "Prêt de salles aux associations, en semaine.",
            "La mairie met à disposition ses salles municipales pour les réunions associatives",
        ),
    ),
    Kind(
        "chambre_froide",
        "locaux",
        None,
        ("alimentation",),
        (
            "Une chambre froide ou un local réfrigéré.",
            "Un espace de stockage au froid pour nos denrées fraîches",
            "besoin chambre froide positive pour la banque alimentaire",
        ),
        (
            "Notre entrepôt dispose d'une chambre froide sous-utilisée, que nous pouvons partager.",
            "Local frigorifique de 15 m² disponible pour une association d'aide alimentaire",
            "Mise à disposition d'un espace réfrigéré dans notre cuisine centrale",
        ),
    ),
    Kind(
        "stockage",
        "locaux",
        None,
        ("solidarite_social",),
        (
            "Un garage ou un entrepôt pour stocker nos cartons de dons.",
            "local de stockage sec, 20 m2 environ",
            "On n'a plus de place pour ranger le matériel de nos événements : un box ou une cave ferait l'affaire",
        ),
        (
            "Un hangar de 200 m² dont une partie peut servir de réserve à une association.",
            "Espace d'entreposage vide dans nos locaux, accessible en semaine",
            "Nous louons à prix symbolique des boxes de stockage",
        ),
    ),
    Kind(
        "gymnase",
        "locaux",
        None,
        ("sport",),
        (
            "Un créneau de gymnase le mercredi après-midi pour nos jeunes.",
            "salle de sport pour des cours de danse",
            "Un terrain ou une salle couverte pour s'entraîner l'hiver",
        ),
        (
            "La commune attribue des créneaux dans ses équipements sportifs.",
            "Notre salle de fitness d'entreprise est libre le week-end pour un club",
            "Créneaux libres dans le complexe sportif municipal, le soir",
        ),
    ),
    Kind(
        "bureau",
        "locaux",
        None,
        ("emploi_insertion",),
        (
            "Un bureau pour accueillir nos permanences deux jours par semaine.",
            "poste de travail en coworking pour notre salariée",
            "Un local d'accueil du public en centre-ville",
        ),
        (
            "Deux bureaux équipés vacants dans nos locaux, loyer symbolique.",
            "Places de coworking offertes aux structures de l'ESS",
            "Nous hébergeons gratuitement une association dans un bureau meublé",
        ),
    ),
    # ------------------------------------------------------------------ bénévoles
    Kind(
        "distribution",
        "benevoles",
        None,
        ("alimentation", "solidarite_social"),
        (
            "Bénévoles pour la distribution alimentaire du mercredi soir.",
            "des bras pour préparer les colis repas",
            "Nous recherchons des volontaires pour servir les repas et accueillir les familles à l'épicerie solidaire.",
        ),
        (
            "Nos salariés donnent une demi-journée par mois pour aider à la distribution de repas.",
            "Un groupe de lycéens volontaires pour trier et distribuer de la nourriture",
            "Des retraités disponibles pour tenir un stand de collecte et de distribution alimentaire",
        ),
    ),
    Kind(
        "aide_devoirs",
        "benevoles",
        None,
        ("education_jeunesse",),
        (
            "Bénévoles pour l'aide aux devoirs en semaine.",
            "soutien scolaire collège, maths et français",
            "Des personnes pour accompagner des enfants dans leur travail scolaire après l'école",
        ),
        (
            "Nos ingénieurs proposent du tutorat en mathématiques et sciences pour des élèves.",
            "Étudiants disponibles pour faire du soutien scolaire",
            "Une enseignante à la retraite souhaite aider des collégiens à faire leurs devoirs",
        ),
    ),
    Kind(
        "jardin",
        "benevoles",
        None,
        ("environnement",),
        (
            "Des bras pour le chantier de printemps des jardins partagés.",
            "volontaires pour planter des arbres en novembre",
            "Aide pour désherber, bêcher et arroser les potagers collectifs",
        ),
        (
            "Journée solidaire : 25 collaborateurs veulent jardiner ou planter pour une asso.",
            "Des habitants prêts à donner un coup de main pour des travaux de jardinage",
            "Un groupe de salariés volontaires pour une action nature (plantation, nettoyage de berges)",
        ),
    ),
    Kind(
        "evenement",
        "benevoles",
        None,
        ("culture",),
        (
            "Bénévoles pour l'accueil et la buvette de notre festival en juillet.",
            "renfort pour monter le chapiteau et tenir la billetterie",
            "Des personnes motivées pour aider le jour de notre fête de quartier",
        ),
        (
            "Salariés disponibles pour aider à l'organisation d'un événement culturel.",
            "Une équipe de volontaires pour l'installation et l'accueil lors de festivals",
            "Des jeunes en service civique pour renforcer vos manifestations",
        ),
    ),
    Kind(
        "transport",
        "benevoles",
        None,
        ("mobilite", "sante"),
        (
            "Des chauffeurs bénévoles pour accompagner des personnes âgées à leurs rendez-vous médicaux.",
            "conducteurs pour le transport solidaire",
            "Quelqu'un avec une voiture pour emmener nos seniors faire leurs courses",
        ),
        (
            "Retraités avec véhicule, disponibles pour conduire des personnes isolées.",
            "Nos salariés peuvent assurer des trajets solidaires avec les voitures de service",
            "Chauffeurs volontaires pour du covoiturage solidaire",
        ),
    ),
    # ------------------------------------------------------------------ compétences
    Kind(
        "statuts",
        "competences",
        "juridique",
        ("citoyennete",),
        (
            "Un avis juridique sur nos statuts avant de recruter un salarié.",
            "aide pour modifier nos statuts d'association",
            "Un juriste pour relire nos statuts et notre règlement intérieur",
        ),
        (
            "Conseil juridique pro bono : statuts, gouvernance, vie associative.",
            "Nos avocats accompagnent gratuitement des associations sur leurs statuts",
            "Permanence de juristes bénévoles pour les questions de droit des associations",
        ),
    ),
    Kind(
        "droit_travail",
        "competences",
        "juridique",
        ("emploi_insertion",),
        (
            "On embauche notre premier salarié : besoin d'aide sur le contrat de travail.",
            "conseil en droit du travail (licenciement, convention collective)",
            "Questions sur le statut de nos intervenants : salariés, auto-entrepreneurs ou bénévoles ?",
        ),
        (
            "Un cabinet propose des conseils gratuits en droit social et contrats de travail.",
            "Juriste RH disponible pour aider une asso employeuse",
            "Accompagnement sur l'embauche et la paie par nos experts en droit social",
        ),
    ),
    Kind(
        "comptes",
        "competences",
        "comptabilite",
        ("emploi_insertion",),
        (
            "Aide pour clôturer nos comptes annuels et préparer l'assemblée générale.",
            "un comptable pour notre bilan",
            "Notre trésorière a besoin d'un coup de main pour tenir la compta et faire le budget prévisionnel",
        ),
        (
            "Deux jours par mois de mécénat de compétences en comptabilité pour des associations.",
            "Expert-comptable bénévole : bilan, compte de résultat, budget",
            "Nos comptables aident les petites associations à tenir leur trésorerie",
        ),
    ),
    Kind(
        "visuels",
        "competences",
        "communication",
        ("culture",),
        (
            "Un graphiste pour créer notre logo et nos affiches.",
            "faire des flyers pour la fête",
            "Refaire l'identité visuelle de l'association (logo, charte graphique)",
        ),
        (
            "Studio de design : nous créons gratuitement logos et affiches pour une association par an.",
            "Graphiste bénévole, maquettes de plaquettes et affiches",
            "Mécénat de compétences en création graphique et mise en page",
        ),
    ),
    Kind(
        "reseaux_sociaux",
        "competences",
        "communication",
        ("citoyennete",),
        (
            "Quelqu'un pour animer nos réseaux sociaux (Facebook, Instagram).",
            "aide pour notre communication sur internet, on ne poste jamais rien",
            "Former nos bénévoles à Instagram et aux relations presse",
        ),
        (
            "Notre agence forme les associations aux réseaux sociaux et aux relations presse.",
            "Community manager bénévole quelques heures par mois",
            "Conseils en communication digitale pour faire connaître votre association",
        ),
    ),
    Kind(
        "site_web",
        "competences",
        "numerique",
        ("numerique",),
        (
            "Créer un site internet pour présenter nos activités et recevoir les inscriptions.",
            "refonte de notre site web",
            "un développeur pour notre site",
        ),
        (
            "Des développeurs bénévoles pour un site web associatif.",
            "Notre ESN réalise des sites internet pour des associations en mécénat de compétences",
            "Création de sites web avec WordPress, gratuite pour les petites structures",
        ),
    ),
    Kind(
        "securite_informatique",
        "competences",
        "numerique",
        ("numerique",),
        (
            "Sécuriser nos données et nos sauvegardes après un piratage.",
            "aide RGPD : fichier des adhérents, consentements",
            "Un informaticien pour mettre en place des sauvegardes et protéger nos ordinateurs",
        ),
        (
            "Audit de cybersécurité et conseil RGPD offerts aux associations.",
            "Nos experts sécurité aident à protéger les données des petites structures",
            "Accompagnement à la mise en conformité RGPD et aux sauvegardes",
        ),
    ),
    Kind(
        "subventions",
        "competences",
        "gestion_projet",
        ("culture", "citoyennete"),
        (
            "Aide pour monter un dossier de subvention européenne.",
            "écrire nos demandes de financement",
            "Quelqu'un qui connaît les appels à projets pour nous aider à répondre",
        ),
        (
            "Chargée de projets bénévole : rédaction de dossiers de subvention et appels à projets.",
            "Accompagnement au montage de dossiers de financement publics",
            "Nos consultants aident les associations à répondre aux appels à projets",
        ),
    ),
    # ------------------------------------------------------------------ financement
    Kind(
        "sponsor_sport",
        "financement",
        None,
        ("sport",),
        (
            "Un sponsor pour les maillots et les déplacements de la saison.",
            "financement pour notre club de foot",
            "Partenaire financier pour acheter des équipements sportifs aux jeunes du club",
        ),
        (
            "Nous sponsorisons des clubs sportifs amateurs du territoire.",
            "Mécénat pour le sport : maillots, tournois, équipements",
            "Budget de parrainage pour des équipes sportives locales",
        ),
    ),
    Kind(
        "mecene_velo",
        "financement",
        None,
        ("mobilite", "environnement"),
        (
            "Un mécène pour acheter l'outillage de notre atelier vélo.",
            "financer des vélos pour les personnes en insertion",
            "Soutien financier à un projet de mobilité douce",
        ),
        (
            "Fondation : soutien à des projets de mobilité douce et de vélo.",
            "Nous finançons des initiatives pour se déplacer autrement (vélo, covoiturage)",
            "Appel à projets mobilité durable, jusqu'à 5 000 euros",
        ),
    ),
    Kind(
        "mecene_education",
        "financement",
        None,
        ("education_jeunesse",),
        (
            "Financement pour des sorties scolaires et culturelles d'enfants.",
            "un mécène pour notre programme de lutte contre le décrochage scolaire",
            "Des fonds pour acheter des livres et des fournitures pour l'aide aux devoirs",
        ),
        (
            "Notre fondation soutient uniquement des projets éducatifs pour les jeunes.",
            "Mécénat éducation : réussite scolaire et orientation",
            "Dotation pour des actions en faveur de l'éducation des enfants",
        ),
    ),
    Kind(
        "mecene_culture",
        "financement",
        None,
        ("culture",),
        (
            "Un financement pour notre festival de musique.",
            "soutien financier pour une création théâtrale",
            "Recherche mécène pour une exposition d'art dans le quartier",
        ),
        (
            "Fonds de dotation dédié à la culture et au spectacle vivant.",
            "Nous soutenons financièrement les événements culturels locaux",
            "Mécénat culturel : concerts, théâtre, expositions",
        ),
    ),
    # ------------------------------------------------------------------ partenariat
    Kind(
        "prevention_sante",
        "partenariat",
        None,
        ("sante",),
        (
            "Associations pour des permanences de prévention santé.",
            "partenaire pour des ateliers nutrition et bien-être",
            "Monter ensemble une campagne de dépistage et de sensibilisation à la santé",
        ),
        (
            "Maison de santé cherchant des partenaires pour des actions de prévention.",
            "Notre mutuelle co-organise des ateliers santé avec des associations",
            "Infirmières prêtes à animer des séances de prévention avec vous",
        ),
    ),
    Kind(
        "insertion_emploi",
        "partenariat",
        None,
        ("emploi_insertion",),
        (
            "Des entreprises pour accueillir nos bénéficiaires en stage ou en immersion.",
            "partenariat pour l'emploi des jeunes du quartier",
            "Trouver des employeurs pour des personnes en parcours d'insertion",
        ),
        (
            "Nous proposons des stages et des périodes d'immersion à des personnes éloignées de l'emploi.",
            "Entreprise prête à recruter via les structures d'insertion",
            "Job dating et parrainage de demandeurs d'emploi par nos salariés",
        ),
    ),
    Kind(
        "ceinture_alimentaire",
        "partenariat",
        None,
        ("alimentation", "environnement"),
        (
            "Partenaires pour un projet de ceinture alimentaire de quartier.",
            "construire un circuit court avec des maraîchers locaux",
            "monter une AMAP ou un groupement d'achat de produits locaux",
        ),
        (
            "Producteurs bio prêts à approvisionner des projets alimentaires locaux.",
            "Nous voulons développer les circuits courts avec des associations du territoire",
            "Ferme maraîchère ouverte à un partenariat de vente directe",
        ),
    ),
)

# Needs whose own words also ask for another kind of the same category: a pair with an offer of
# that kind answers what the text says, so it is not counted as wrong. Found by reading every
# need of the set for a second object named in its words (not by looking for the engine's
# errors); each one is said below. The bench prints how many suggestions are right only
# through this table, so its effect can be seen.
ALSO: dict[str, tuple[str, ...]] = {
    # "… avant de recruter un salarié": the question is asked for a hiring, which an employment
    # lawyer (droit social, embauche) answers as well.
    "Un avis juridique sur nos statuts avant de recruter un salarié.": ("droit_travail",),
    # "salariés, auto-entrepreneurs ou bénévoles ?": whether a volunteer may be paid or becomes an
    # employee is a question of association law too (bénévolat, gestion désintéressée).
    "Questions sur le statut de nos intervenants : salariés, auto-entrepreneurs ou bénévoles ?": ("statuts",),
    # "sorties … culturelles": taking children to a show or a museum is what a culture fund pays for.
    "Financement pour des sorties scolaires et culturelles d'enfants.": ("mecene_culture",),
}
